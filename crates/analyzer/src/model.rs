//! The analysis object of DESIGN.md and the request mode, as serialisable types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The answer to "what is the complexity of this program".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Analysis {
    /// Whole-program worst-case time, as a canonical class string such as `O(n log n)`, or
    /// over several sizes such as `O(n*m)` or `O(V + E)` (see `variables`).
    pub time_complexity: String,
    /// Whole-program auxiliary space: memory the program allocates beyond its inputs (the
    /// inputs themselves are not counted), as a canonical class string.
    pub space_complexity: String,
    /// What each size letter of the class strings stands for, as the source expression it
    /// counts: `{"n": "len(grid)", "m": "len(grid[0])"}`, or `{"n": "len(nums)"}` for one
    /// size. Empty when the sizes could not be named; the classes are then in one size `n`,
    /// every input taken as that size.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Plain words generated from the analysis: what dominates and why.
    pub explanation: String,
    /// How much to trust the answer, from 0 to 1.
    pub confidence: f64,
    pub source: Source,
    /// One entry per function definition, in source order.
    pub functions: Vec<FunctionAnalysis>,
    /// Remarks about how the answer was reached (fallbacks, assumptions, limits hit).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Set when two sources (static and a model, or static and measurement) disagree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
    /// Timing points of an empirical run, for a chart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurements: Option<Measurements>,
}

impl Analysis {
    /// `n = len(grid), m = len(grid[0])`, in the order the classes write the letters; `None`
    /// when no size is named.
    pub fn variables_text(&self) -> Option<String> {
        let mut letters: Vec<(&String, &String)> = self.variables.iter().collect();
        letters.sort_by(|(a, _), (b, _)| crate::cost::name_order(a, b));
        let parts: Vec<String> = letters
            .into_iter()
            .map(|(letter, source)| format!("{letter} = {source}"))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FunctionAnalysis {
    pub name: String,
    /// 1-based line of the `def`.
    pub line: u32,
    /// Time of one call, in the letters of the analysis' `variables`.
    pub time_complexity: String,
    /// Auxiliary space of one call, beyond its arguments.
    pub space_complexity: String,
    pub hotspots: Vec<Hotspot>,
}

/// A line that dominates the cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Hotspot {
    /// 1-based line number.
    #[schema(minimum = 1)]
    pub line: u32,
    pub reason: String,
}

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Static,
    Llm,
    Empirical,
    Combined,
}

/// What the caller asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Static,
    Llm,
    Empirical,
    /// Static analysis, plus the model's answer when one is configured.
    #[default]
    Auto,
}

/// The result of timing a function at growing input sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Measurements {
    /// The function that was timed.
    pub function: String,
    pub points: Vec<MeasuredPoint>,
    /// The best-fitting class, as a canonical class string.
    pub verdict: String,
    /// How clearly the best fit beat the others, from 0 to 1.
    pub confidence: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeasuredPoint {
    pub n: u64,
    pub seconds: f64,
}
