//! Native run of the routing benchmark; prints `BENCH <name> <value> <unit>` lines.

use std::time::Instant;
use taskdesk_bench_routing::{measure, AGENTS, SKILLS, TASKS};

fn main() {
    let origin = Instant::now();
    let clock = || origin.elapsed().as_secs_f64() * 1000.0;
    let ours = measure(42, false, &clock);
    let scan = measure(42, true, &clock);
    eprintln!("native, {AGENTS} agents, {SKILLS} skills, {TASKS} waiting tasks: ours {ours:?}; full scan {scan:?}");
    for (name, s) in [("ours", &ours), ("scan", &scan)] {
        println!("BENCH routing_native_{name}_decisions {} count", s.decisions);
        println!("BENCH routing_native_{name}_per_second {:.0} decisions/s", s.per_second);
        println!("BENCH routing_native_{name}_p50 {:.3} us", s.p50_us);
        println!("BENCH routing_native_{name}_p99 {:.3} us", s.p99_us);
    }
    println!("BENCH routing_native_speedup {:.1} x", ours.per_second / scan.per_second);
}
