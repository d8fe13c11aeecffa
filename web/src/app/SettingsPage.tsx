/** The account's settings: password and API keys. */
import { ChangePasswordForm } from '@/features/auth/components/ChangePasswordForm';
import { KeysSettings } from '@/features/keys/components/KeysSettings';

export function SettingsPage() {
  return (
    <main className="settings-page">
      <h1>Settings</h1>
      <KeysSettings />
      <ChangePasswordForm />
    </main>
  );
}
