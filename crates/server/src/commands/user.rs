//! `code-remote user create NAME [--admin]`: create an account from the command line (for
//! servers whose registration is closed). The password is read from stdin, never from argv.

use std::{io::Read, process::ExitCode};

use anyhow::{Context, bail};
use code_remote_auth::{hash_password, validate_password, validate_username};
use code_remote_core::Role;
use code_remote_store::{NewAuditEntry, NewUser};

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
    }
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
