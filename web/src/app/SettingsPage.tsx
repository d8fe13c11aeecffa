/** The account's settings: API keys, the webhook signing secret and the password. */
import { ChangePasswordForm } from '@/features/auth/components/ChangePasswordForm';
import { KeysSettings } from '@/features/keys/components/KeysSettings';
import { WebhookSettings } from '@/features/webhooks/components/WebhookSettings';

export function SettingsPage() {
  return (
    <main className="settings-page">
      <h1>Settings</h1>
      <KeysSettings />
      <WebhookSettings />
      <ChangePasswordForm />
    </main>
  );
}
