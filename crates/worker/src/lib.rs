//! Claims jobs, runs them in the sandbox, streams and stores results.
