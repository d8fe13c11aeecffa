//! `code-remote user create NAME [--admin]`: create an account from the command line (for
//! servers whose registration is closed). The password is read from stdin, never from argv.
//! `code-remote user invite`: print a single-use invitation code (for `--registration invite`).

use std::{io::Read, process::ExitCode};

use anyhow::{Context, bail};
use code_remote_auth::{InvitationCode, hash_password, validate_password, validate_username};
use code_remote_core::Role;
use code_remote_store::{NewAuditEntry, NewInvitation, NewUser};

use super::node::StoreArgs;

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create(CreateArgs),
    /// Print a single-use invitation code for `--registration invite`.
    Invite(InviteArgs),
}

#[derive(Debug, clap::Args)]
pub struct InviteArgs {
    /// Hours until the code stops working.
    #[arg(long, default_value_t = 168, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub expires_in_hours: u32,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// The username (3–32 letters, digits, `.`, `_`, `-`).
    pub username: String,
    /// Make the account an administrator.
    #[arg(long)]
    pub admin: bool,
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn execute(args: UserArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        UserCommand::Create(args) => create(args),
        UserCommand::Invite(args) => invite(args),
    }
}

fn invite(args: InviteArgs) -> anyhow::Result<ExitCode> {
    let invitation = InvitationCode::generate();
    let expires_at = chrono::Utc::now() + chrono::Duration::hours(i64::from(args.expires_in_hours));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = args.store.connect().await?;
        store
            .create_invitation(NewInvitation {
                code_hash: invitation.hash,
                created_by: None,
                expires_at,
            })
            .await?;
        let entry = NewAuditEntry {
            actor: None,
            action: "invitation.created_cli".into(),
            target: None,
            ip: None,
            detail: serde_json::json!({ "expires_at": expires_at }),
        };
        store.audit(entry).await?;
        println!("{}", invitation.code);
        eprintln!("single-use invitation, valid until {expires_at}");
        Ok(ExitCode::SUCCESS)
    })
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    validate_username(&args.username)?;
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        bail!(
            "give the password on standard input, e.g. `code-remote user create {} < password.txt`",
            args.username
        );
    }
    validate_password(password)?;
    let hash = hash_password(password)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = args.store.connect().await?;
        let role = if args.admin { Role::Admin } else { Role::User };
        let user = match store
            .create_user(NewUser {
                username: args.username.clone(),
                email: args.email,
                password_hash: Some(hash),
                role,
                oidc: None,
            })
            .await
        {
            Ok(user) => user,
            Err(code_remote_store::Error::Conflict { .. }) => {
                bail!("the username {} is already taken", args.username)
            }
            Err(err) => return Err(err.into()),
        };
        let entry = NewAuditEntry {
            actor: None,
            action: "user.created_cli".into(),
            target: Some(user.id.to_string()),
            ip: None,
            detail: serde_json::json!({ "role": role }),
        };
        store.audit(entry).await?;
        println!("created {} {} ({})", role.as_str(), user.username, user.id);
        Ok(ExitCode::SUCCESS)
    })
}
