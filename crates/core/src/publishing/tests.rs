//! Property tests of the publisher in the simulated world (`simulation.rs`): whatever the faults,
//! tabs and reloads, once the network heals nothing is lost, stuck or falsely "Published".

use proptest::prelude::*;

use super::simulation::World;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn faults_tabs_and_reloads_lose_nothing_and_claim_nothing(seed in any::<u64>(), steps in 20usize..400) {
        let mut world = World::new(seed);
        for _ in 0..steps {
            world.act();
        }
        world.heal();
        world.check_healed();
    }
}

#[test]
fn many_long_runs_inject_thousands_of_faults() {
    let mut faults = 0;
    for seed in 0..8 {
        let mut world = World::new(seed * 7919 + 1);
        for _ in 0..1_000 {
            world.act();
        }
        world.heal();
        world.check_healed();
        faults += world.counts.faults;
    }
    eprintln!("publisher simulation: {faults} faults injected over 8 runs of 1,000 steps");
    assert!(faults > 300, "only {faults} faults injected");
}
