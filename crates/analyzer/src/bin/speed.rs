//! Speed of the static analyzer on a generated 1,000-line program (prints figures).

#[path = "accuracy/speed.rs"]
mod speed;

const RUNS: u32 = 200;

fn main() {
    let s = speed::measure(RUNS);
    println!(
        "static analysis of a {}-line program ({} bytes, answer {}): median {:.3} ms, fastest {:.3} ms ({} runs)",
        s.lines,
        s.bytes,
        s.answer,
        s.median.as_secs_f64() * 1e3,
        s.fastest.as_secs_f64() * 1e3,
        s.runs
    );
}
