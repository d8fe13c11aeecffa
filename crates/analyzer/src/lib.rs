//! Time and space complexity analysis of Python programs.
