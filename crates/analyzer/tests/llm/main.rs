//! The model providers against local mock servers: the exact request each provider sends,
//! retries on 429 (with Gemini's RetryInfo) and the static fallback on server errors.

mod mock;
mod providers;
