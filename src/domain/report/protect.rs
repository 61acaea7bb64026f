//! Secondary suppression: no count of 1–4 can be worked out from the other
//! cells of what is published (security review S5).
//!
//! What an onlooker knows of a period: every cell's window — 0; 1–4 for `<5`;
//! 5–7 for 5, n−2…n+2 for a larger n; anything for a hidden cell (`…`) — and
//! that dimensions counted once per request (topic, urgency, contact…) share
//! their total. Within one period that is all, and the values a cell can take
//! are exactly an interval ([`range`]): a `<5` whose interval is a single value
//! is given away, and a companion cell is hidden until none is.
//!
//! Across periods the year is the sum of its quarters. A year cell that is
//! shown beside quarters with a small count could pin them, alone (1+1+1+1 =
//! 4) or through the shared totals; so the year cells of every dimension
//! linked to a small or hidden quarter cell are hidden ([`hide_year`]). Where
//! no quarter holds a small count, the year has none to give away.

use super::Cell;

/// Exact counts of one period, per dimension, per category.
pub type Exact = [Vec<u64>];

/// A period's exact counts and its cells as shown.
pub type Counted = (Vec<Vec<u64>>, Vec<Vec<Cell>>);

/// A hidden cell's upper bound: more than any count.
const ANY: u64 = u64::MAX / 8;

/// The values a shown cell allows.
pub fn window(cell: Cell) -> (u64, u64) {
    match cell {
        Cell::Zero => (0, 0),
        Cell::Few => (1, 4),
        Cell::Count(5) => (5, 7),
        Cell::Count(n) => (n.saturating_sub(2), n + 2),
        Cell::Hidden => (0, ANY),
    }
}

fn total(exact: &[u64]) -> u64 {
    exact.iter().sum()
}

/// The dimensions that share their total in this period, in groups of two or
/// more. Taken from the exact counts: a total shared by chance only adds a
/// constraint that holds, so the check is stricter, never looser.
pub fn groups(exact: &Exact) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (d, counts) in exact.iter().enumerate() {
        let sum = total(counts);
        if sum == 0 {
            continue;
        }
        match groups.iter_mut().find(|g| total(&exact[g[0]]) == sum) {
            Some(group) => group.push(d),
            None => groups.push(vec![d]),
        }
    }
    groups.retain(|g| g.len() > 1);
    groups
}

fn sums(cells: &[Cell]) -> (u64, u64) {
    cells.iter().fold((0, 0), |(lo, hi), &cell| {
        let (l, h) = window(cell);
        (lo + l, (hi + h).min(ANY))
    })
}

/// The values cell `c` of dimension `d` can take, given every window of the
/// group and that its dimensions share a total: exact for one period.
pub fn range(cells: &[Vec<Cell>], group: &[usize], d: usize, c: usize) -> (u64, u64) {
    // The total, as the other dimensions allow it.
    let (mut low, mut high) = (0, ANY);
    for &other in group.iter().filter(|&&o| o != d) {
        let (lo, hi) = sums(&cells[other]);
        low = low.max(lo);
        high = high.min(hi);
    }
    let rest: Vec<Cell> = cells[d]
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != c)
        .map(|(_, cell)| *cell)
        .collect();
    let (rest_lo, rest_hi) = sums(&rest);
    let (own_lo, own_hi) = window(cells[d][c]);
    let lo = own_lo.max(low.saturating_sub(rest_hi));
    let hi = own_hi.min(high.saturating_sub(rest_lo));
    (lo, hi)
}

/// Hides cells until no count of 1–4 in this period has a single possible
/// value. `exact` says which cells hold such counts; `cells` is what is shown.
pub fn within_period(exact: &Exact, cells: &mut [Vec<Cell>]) {
    let groups = groups(exact);
    // Each round hides one more cell, so this ends.
    while let Some((group, d, c)) = given_away(exact, cells, &groups) {
        let (lo, _) = range(cells, group, d, c);
        let (own_lo, _) = window(cells[d][c]);
        hide_companion(cells, group, d, c, lo > own_lo);
    }
}

/// A small count whose value the rest of the period fixes, if any.
fn given_away<'g>(
    exact: &Exact,
    cells: &[Vec<Cell>],
    groups: &'g [Vec<usize>],
) -> Option<(&'g [usize], usize, usize)> {
    for group in groups {
        for &d in group {
            for (c, &count) in exact[d].iter().enumerate() {
                if !(1..=4).contains(&count) {
                    continue;
                }
                let (lo, hi) = range(cells, group, d, c);
                if lo >= hi {
                    return Some((group, d, c));
                }
            }
        }
    }
    None
}

/// Hides one more cell so that cell `c` of dimension `d` is no longer pinned:
/// from below (`from_below`: the others' totals force it up) a cell of its own
/// dimension that can be large; from above, one that is at least 1 — or, when
/// its dimension has none, the binding cell of another dimension.
fn hide_companion(cells: &mut [Vec<Cell>], group: &[usize], d: usize, c: usize, from_below: bool) {
    let pick = |row: &[Cell], skip: Option<usize>| -> Option<usize> {
        row.iter()
            .enumerate()
            .filter(|(i, cell)| Some(*i) != skip && **cell != Cell::Hidden)
            .filter(|(_, cell)| from_below || window(**cell).0 > 0)
            .max_by_key(|(_, cell)| (window(**cell).0, window(**cell).1))
            .map(|(i, _)| i)
    };
    if let Some(i) = pick(&cells[d], Some(c)) {
        cells[d][i] = Cell::Hidden;
        return;
    }
    // Its own dimension cannot give: loosen the total another one sets.
    for &other in group.iter().filter(|&&o| o != d) {
        let candidate = if from_below {
            pick(&cells[other], None).filter(|i| window(cells[other][*i]).0 > 0)
        } else {
            cells[other].iter().position(|cell| *cell != Cell::Hidden)
        };
        if let Some(i) = candidate {
            cells[other][i] = Cell::Hidden;
            return;
        }
    }
    // Nothing left to hide but the cell itself.
    cells[d][c] = Cell::Hidden;
    for &other in group {
        for cell in &mut cells[other] {
            if *cell != Cell::Zero {
                *cell = Cell::Hidden;
            }
        }
    }
}

/// The year's cells beside its quarters: hidden for every dimension linked
/// (sharing a total in any period) to one whose quarter shows `<5` or a
/// hidden cell; a dimension linked to none, per category.
pub fn hide_year(year_exact: &Exact, quarters: &[Counted], year: &mut [Vec<Cell>]) {
    let dims = year.len();
    // Linked dimensions: one label per component.
    let mut label: Vec<usize> = (0..dims).collect();
    let periods = quarters
        .iter()
        .map(|(exact, _)| exact.as_slice())
        .chain(std::iter::once(year_exact));
    for exact in periods {
        for group in groups(exact) {
            let target = label[group[0]];
            let merged: Vec<usize> = group.iter().map(|&d| label[d]).collect();
            for l in &mut label {
                if merged.contains(l) {
                    *l = target;
                }
            }
        }
    }
    let small = |cell: &Cell| matches!(cell, Cell::Few | Cell::Hidden);
    for d in 0..dims {
        let component: Vec<usize> = (0..dims).filter(|&o| label[o] == label[d]).collect();
        let linked_small = component.len() > 1
            && quarters.iter().any(|(_, cells)| {
                component
                    .iter()
                    .any(|&o| cells.get(o).is_some_and(|row| row.iter().any(small)))
            });
        for c in 0..year[d].len() {
            let own_small = quarters
                .iter()
                .any(|(_, cells)| cells.get(d).and_then(|row| row.get(c)).is_some_and(small));
            if (linked_small || own_small) && year[d][c] != Cell::Zero {
                year[d][c] = Cell::Hidden;
            }
        }
    }
}

#[cfg(test)]
mod tests;
