//! One line of a history: an execution without its code, stdin and output, which
//! `GET /executions/{id}` serves. A page of these stays small whatever the runs printed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{JobId, JobStatus, UserId};

/// Longest code preview, in characters (an ellipsis marks a cut).
pub const CODE_PREVIEW_CHARS: usize = 80;

/// An execution as a history lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExecutionListItem {
    pub id: JobId,
    pub user_id: UserId,
    pub status: JobStatus,
    /// The program's first line that is neither blank nor a comment (else its first line), at
    /// most [`CODE_PREVIEW_CHARS`] characters; empty for an empty program.
    pub code_preview: String,
    /// Sizes in bytes of what `GET /executions/{id}` returns in full.
    pub code_bytes: u64,
    pub stdin_bytes: u64,
    pub stdout_bytes: u64,
    pub stderr_bytes: u64,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub wall_time_ms: Option<u64>,
    pub cpu_time_ms: Option<u64>,
    pub peak_memory_kib: Option<u64>,
    /// Test cases of a judged run (0: an ordinary run), and how many were accepted so far.
    pub test_count: u32,
    pub tests_passed: u32,
    /// Files the program handed back.
    pub artifact_count: u32,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// The preview of a program whose beginning is `head` (it may be cut anywhere): its first line
/// that is neither blank nor a comment, else its first non-blank line, trimmed and cut to
/// [`CODE_PREVIEW_CHARS`] characters.
pub fn code_preview(head: &str) -> String {
    let mut lines = head.lines().map(str::trim).filter(|line| !line.is_empty());
    let first = lines.clone().next().unwrap_or_default();
    let line = lines.find(|line| !line.starts_with('#')).unwrap_or(first);
    match line.char_indices().nth(CODE_PREVIEW_CHARS) {
        None => line.to_owned(),
        Some((cut, _)) => {
            let kept = line[..cut].char_indices().last().map_or(0, |(at, _)| at);
            format!("{}…", &line[..kept])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_skips_blank_lines_and_comments() {
        assert_eq!(
            code_preview("\n# a title\n\n  print(1)\nprint(2)"),
            "print(1)"
        );
    }

    #[test]
    fn a_program_of_comments_is_previewed_by_its_first_one() {
        assert_eq!(code_preview("\n# only this\n# and this\n"), "# only this");
        assert_eq!(code_preview(""), "");
    }

    #[test]
    fn a_long_line_is_cut_with_an_ellipsis_on_a_character_boundary() {
        let line = "é".repeat(CODE_PREVIEW_CHARS + 5);
        let preview = code_preview(&line);
        assert_eq!(preview.chars().count(), CODE_PREVIEW_CHARS);
        assert!(preview.ends_with('…'));
        let exact = "x".repeat(CODE_PREVIEW_CHARS);
        assert_eq!(code_preview(&exact), exact);
    }
}
