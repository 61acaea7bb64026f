//! The rule against working a small count out (T10), checked by brute force
//! against what an onlooker knows: each shown cell's window, that the two
//! dimensions share a total in every period, and that the year is the sum of
//! its quarters. A finding is a cell of 1–4 (shown `<5`, or hidden) that every
//! world consistent with the file gives the same value.

use super::*;

/// Two dimensions of two categories sharing a total: a quarter is
/// `[a1, a2, b1, b2]` with `a1 + a2 == b1 + b2`.
type Quarter = [u64; 4];

fn rows(q: Quarter) -> Vec<Vec<u64>> {
    vec![vec![q[0], q[1]], vec![q[2], q[3]]]
}

fn shown(exact: &[Vec<u64>]) -> Vec<Vec<Cell>> {
    let mut cells: Vec<Vec<Cell>> = exact
        .iter()
        .map(|row| row.iter().map(|&n| Cell::of(n)).collect())
        .collect();
    within_period(exact, &mut cells);
    cells
}

/// The values a window allows, a hidden cell's up to `cap`.
fn values(cell: Cell, cap: u64) -> std::ops::RangeInclusive<u64> {
    let (lo, hi) = window(cell);
    lo..=hi.min(cap)
}

/// Every quarter consistent with its shown cells (hidden cells up to `cap`).
fn worlds_of(cells: &[Vec<Cell>], cap: u64) -> Vec<Quarter> {
    let mut found = Vec::new();
    for a1 in values(cells[0][0], cap) {
        for a2 in values(cells[0][1], cap) {
            for b1 in values(cells[1][0], cap) {
                let Some(b2) = (a1 + a2).checked_sub(b1) else {
                    continue;
                };
                if values(cells[1][1], cap).contains(&b2) {
                    found.push([a1, a2, b1, b2]);
                }
            }
        }
    }
    found
}

/// Every quarter with counts up to `max`.
fn all_quarters(max: u64) -> Vec<Quarter> {
    let mut all = Vec::new();
    for a1 in 0..=max {
        for a2 in 0..=max {
            for b1 in 0..=max {
                let b2 = (a1 + a2).wrapping_sub(b1);
                if b2 <= max {
                    all.push([a1, a2, b1, b2]);
                }
            }
        }
    }
    all
}

#[test]
fn within_a_quarter_no_small_count_is_fixed_by_the_others_for_every_count_up_to_20() {
    let mut checked = 0;
    for world in all_quarters(20) {
        let exact = rows(world);
        let cells = shown(&exact);
        let alternatives = worlds_of(&cells, 60);
        assert!(alternatives.contains(&world), "{world:?}: {cells:?}");
        for (i, &count) in world.iter().enumerate() {
            if !(1..=4).contains(&count) {
                continue;
            }
            checked += 1;
            let mut seen: Vec<u64> = alternatives.iter().map(|w| w[i]).collect();
            seen.sort_unstable();
            seen.dedup();
            assert!(
                seen.len() > 1,
                "{world:?} shown as {cells:?} gives cell {i} away"
            );
        }
    }
    assert!(checked > 4_000, "{checked}");
}

#[test]
fn with_more_categories_a_count_forced_by_the_other_dimension_is_protected() {
    // Contact: by phone 4, here 0; topics: four of 1 each. The topics say the
    // total is at least 4, so "<5" by phone would be exactly 4.
    let exact = vec![vec![4, 0], vec![1, 1, 1, 1, 0]];
    let mut plain: Vec<Vec<Cell>> = exact
        .iter()
        .map(|row| row.iter().map(|&n| Cell::of(n)).collect())
        .collect();
    let groups = groups(&exact);
    assert_eq!(
        range(&plain, &groups[0], 0, 0),
        (4, 4),
        "given away unprotected"
    );
    within_period(&exact, &mut plain);
    assert!(
        plain.iter().flatten().any(|c| *c == Cell::Hidden),
        "{plain:?}"
    );
    for (d, row) in exact.iter().enumerate() {
        for (c, &count) in row.iter().enumerate() {
            if (1..=4).contains(&count) {
                let (lo, hi) = range(&plain, &groups[0], d, c);
                assert!(lo < hi, "{d}/{c}: {plain:?}");
            }
        }
    }
}

/// The year of four quarters, as published beside them.
fn year_of(quarters: &[Quarter; 4]) -> (Vec<Vec<Cell>>, Vec<Vec<Vec<Cell>>>) {
    let exact: Vec<Vec<Vec<u64>>> = quarters.iter().map(|q| rows(*q)).collect();
    let shown_quarters: Vec<Vec<Vec<Cell>>> = exact.iter().map(|e| shown(e)).collect();
    let sums: Quarter = std::array::from_fn(|i| quarters.iter().map(|q| q[i]).sum());
    let year_exact = rows(sums);
    let mut year = shown(&year_exact);
    let pairs: Vec<Counted> = exact
        .into_iter()
        .zip(shown_quarters.iter().cloned())
        .collect();
    hide_year(&year_exact, &pairs, &mut year);
    (year, shown_quarters)
}

/// For every cell of 1–4 in the four quarters and the year: whether worlds
/// consistent with the whole file give it more than one value. By brute force
/// over each quarter's candidates, joined through the year's windows.
fn nothing_given_away(quarters: &[Quarter; 4]) -> Result<(), String> {
    let (year, shown_quarters) = year_of(quarters);
    let candidates: Vec<Vec<Quarter>> = shown_quarters.iter().map(|c| worlds_of(c, 60)).collect();
    let year_cells = [year[0][0], year[0][1], year[1][0], year[1][1]];
    let fits = |sums: Quarter| (0..4).all(|i| values(year_cells[i], 240).contains(&sums[i]));
    // Each quarter's candidates, joined: the sums reachable with each value of
    // the quarter cells, kept per (quarter, cell, value) by a search that stops
    // at the first witness.
    let sums_of = |choice: &[&Quarter]| -> Quarter {
        std::array::from_fn(|i| choice.iter().map(|q| q[i]).sum())
    };
    let mut witnessed = std::collections::BTreeSet::new();
    let mut year_values: Vec<std::collections::BTreeSet<u64>> = vec![Default::default(); 4];
    if year_cells.iter().all(|c| *c == Cell::Hidden) {
        // The year says nothing: each quarter stands alone, and the year's
        // values are the sums of theirs.
        for (q, list) in candidates.iter().enumerate() {
            for world in list {
                for (i, value) in world.iter().enumerate() {
                    witnessed.insert((q, i, *value));
                }
            }
        }
        for (i, values) in year_values.iter_mut().enumerate() {
            let mut reachable = std::collections::BTreeSet::from([0u64]);
            for list in &candidates {
                let own: std::collections::BTreeSet<u64> = list.iter().map(|w| w[i]).collect();
                reachable = reachable
                    .iter()
                    .flat_map(|r| own.iter().map(move |v| r + v))
                    .collect();
            }
            *values = reachable;
        }
    } else {
        for q0 in &candidates[0] {
            for q1 in &candidates[1] {
                for q2 in &candidates[2] {
                    for q3 in &candidates[3] {
                        let choice = [q0, q1, q2, q3];
                        let sums = sums_of(&choice);
                        if !fits(sums) {
                            continue;
                        }
                        for (q, quarter) in choice.iter().enumerate() {
                            for i in 0..4 {
                                witnessed.insert((q, i, quarter[i]));
                            }
                        }
                        for i in 0..4 {
                            year_values[i].insert(sums[i]);
                        }
                    }
                }
            }
        }
    }
    for (q, quarter) in quarters.iter().enumerate() {
        for (i, count) in quarter.iter().enumerate() {
            if (1..=4).contains(count)
                && witnessed
                    .iter()
                    .filter(|(wq, wi, _)| *wq == q && *wi == i)
                    .count()
                    < 2
            {
                return Err(format!("Q{} cell {i} of {quarters:?}", q + 1));
            }
        }
    }
    let sums: Quarter = std::array::from_fn(|i| quarters.iter().map(|q| q[i]).sum());
    for i in 0..4 {
        if (1..=4).contains(&sums[i]) && year_values[i].len() < 2 {
            return Err(format!("year cell {i} of {quarters:?}"));
        }
    }
    Ok(())
}

#[test]
fn a_year_beside_its_quarters_gives_no_small_count_away_in_the_known_cases() {
    let cases: [[Quarter; 4]; 4] = [
        // 1+1+1+1: the year "<5" would be exactly 4.
        [[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 1, 0]],
        // The year minus the second quarter pins the first.
        [[2, 0, 1, 1], [5, 0, 5, 0], [0; 4], [0; 4]],
        // Every quarter at the bottom of its rounding: the year pins them all,
        // and through the shared total, the small one.
        [[3, 13, 8, 8], [3, 13, 8, 8], [3, 13, 8, 8], [3, 13, 8, 8]],
        // No small count anywhere: the year is shown.
        [[6, 9, 10, 5], [7, 7, 7, 7], [0; 4], [12, 8, 10, 10]],
    ];
    for quarters in &cases {
        assert_eq!(nothing_given_away(quarters), Ok(()));
    }
    let (year, _) = year_of(&cases[3]);
    assert!(
        year.iter().flatten().all(|c| *c != Cell::Hidden),
        "a year with nothing small beside it is shown: {year:?}"
    );
}

#[test]
fn a_year_beside_its_quarters_gives_no_small_count_away_over_many_small_worlds() {
    // Every file whose quarters are each one of the quarters below, in every
    // order: 10⁴ files, with counts at the rounding edges (4|5, 7|8, 12|13,
    // 17|18) and small counts in each place.
    let small: Vec<Quarter> = vec![
        [0, 0, 0, 0],
        [1, 0, 1, 0],
        [2, 1, 0, 3],
        [4, 4, 7, 1],
        [7, 1, 5, 3],
        [8, 5, 13, 0],
        [3, 13, 8, 8],
        [1, 4, 4, 1],
        [12, 0, 8, 4],
        [20, 0, 18, 2],
    ];
    for a in &small {
        for b in &small {
            for c in &small {
                for d in &small {
                    let quarters = [*a, *b, *c, *d];
                    assert_eq!(nothing_given_away(&quarters), Ok(()), "{quarters:?}");
                }
            }
        }
    }
}
