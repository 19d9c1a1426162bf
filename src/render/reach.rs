//! Render stage: whose figures an edit changed, for `serve`'s rebuild of
//! only the pages that show them. Entry: [`Reach::between`].

use super::handout;
use crate::model::{Model, Performance};
use crate::vocab::period::Period;
use std::collections::{BTreeMap, BTreeSet};

/// Whose figures an edit changed, as far as pages are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Something every figure depends on: the periods, the day a period
    /// rolls up on, which columns have data, who is active, the people.
    All,
    /// Figures of some people in some periods.
    Within {
        /// Whose own figures, forecasts or calls changed, and everyone
        /// above each of them in any reporting line.
        people: BTreeSet<String>,
        /// The earliest period with a change: the organisation's figures
        /// from then on differ.
        from: Period,
    },
}

impl Reach {
    /// Whose figures differ from `before` to `after`, two models of the
    /// same site read before and after an edit of its figures. `None`
    /// when nothing a page shows changed.
    pub fn between(before: &Model, after: &Model) -> Option<Reach> {
        let same_people = before.people.len() == after.people.len()
            && before
                .people
                .values()
                .zip(after.people.values())
                .all(|(a, b)| {
                    a.id == b.id
                        && a.active == b.active
                        && a.role == b.role
                        && a.manager == b.manager
                        && a.lines == b.lines
                });
        if !same_people
            || before.periods != after.periods
            || before.performance.as_of != after.performance.as_of
            || handout::data_columns(before) != handout::data_columns(after)
        {
            return Some(Reach::All);
        }
        let mut changes = Changes::default();
        if !changes.of_performance(&before.performance, &after.performance) {
            return Some(Reach::All);
        }
        let from = changes.periods.first().copied()?;
        // Each changed person, and everyone they report to in any line.
        let mut people = BTreeSet::new();
        let mut next: Vec<&str> = changes.people.iter().map(String::as_str).collect();
        while let Some(id) = next.pop() {
            if !people.insert(id.to_string()) {
                continue;
            }
            if let Some(person) = after.people.get(id) {
                next.extend(person.manager.as_deref());
                next.extend(person.lines.iter().map(|line| line.manager.as_str()));
            }
        }
        Some(Reach::Within { people, from })
    }
}

/// Who and which periods differ between two models' figures.
#[derive(Default)]
struct Changes {
    people: BTreeSet<String>,
    periods: BTreeSet<Period>,
}

impl Changes {
    /// Notes the people and periods whose records, team forecasts or calls
    /// differ; `false` when the weeks of calls themselves differ.
    fn of_performance(&mut self, before: &Performance, after: &Performance) -> bool {
        self.by_person(&before.reps, &after.reps);
        self.by_person(&before.team_forecasts, &after.team_forecasts);
        if before.calls.keys().ne(after.calls.keys()) {
            return false;
        }
        for ((&period, weeks), others) in before.calls.iter().zip(after.calls.values()) {
            if weeks.len() != others.len() {
                return false;
            }
            for (week, other) in weeks.iter().zip(others) {
                if week.date != other.date || week.file != other.file {
                    return false;
                }
                for id in differing(&week.by, &other.by) {
                    self.people.insert(id.clone());
                    self.periods.insert(period);
                }
            }
        }
        true
    }

    /// Notes who and which periods differ between two person → period →
    /// value maps.
    fn by_person<V: PartialEq>(
        &mut self,
        before: &impl Keyed<String, BTreeMap<Period, V>>,
        after: &impl Keyed<String, BTreeMap<Period, V>>,
    ) {
        let empty = BTreeMap::new();
        for id in differing(before, after) {
            let (was, is) = (
                before.find(id).unwrap_or(&empty),
                after.find(id).unwrap_or(&empty),
            );
            self.people.insert(id.clone());
            self.periods.extend(differing(was, is).copied());
        }
    }
}

/// A map by key, sorted or hashed.
trait Keyed<K, V> {
    fn entries<'a>(&'a self) -> impl Iterator<Item = (&'a K, &'a V)>
    where
        K: 'a,
        V: 'a;
    fn find(&self, key: &K) -> Option<&V>;
}

impl<K: Ord, V> Keyed<K, V> for BTreeMap<K, V> {
    fn entries<'a>(&'a self) -> impl Iterator<Item = (&'a K, &'a V)>
    where
        K: 'a,
        V: 'a,
    {
        self.iter()
    }
    fn find(&self, key: &K) -> Option<&V> {
        self.get(key)
    }
}

impl<V> Keyed<String, V> for crate::model::ById<V> {
    fn entries<'a>(&'a self) -> impl Iterator<Item = (&'a String, &'a V)>
    where
        V: 'a,
    {
        self.iter()
    }
    fn find(&self, key: &String) -> Option<&V> {
        self.get(key)
    }
}

/// The keys whose values differ between two maps, or that only one has.
fn differing<'a, K: 'a, V: PartialEq + 'a>(
    before: &'a impl Keyed<K, V>,
    after: &'a impl Keyed<K, V>,
) -> impl Iterator<Item = &'a K> {
    let changed = before
        .entries()
        .filter(|(key, value)| after.find(key) != Some(*value))
        .map(|(key, _)| key);
    let added = after
        .entries()
        .map(|(key, _)| key)
        .filter(|key| before.find(key).is_none());
    changed.chain(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::money::Money;

    fn small_model() -> Model {
        let dir = crate::text::tests_support::small_fixture_copy();
        crate::pipeline::load_model(dir.path()).unwrap().0
    }

    #[test]
    fn nothing_changed_reaches_nothing() {
        let model = small_model();
        assert_eq!(Reach::between(&model, &model.clone()), None);
    }

    #[test]
    fn a_record_reaches_its_person_everyone_above_them_and_its_period() {
        let model = small_model();
        let mut edited = model.clone();
        let first = *model.periods.first().unwrap();
        let figures = edited
            .performance
            .reps
            .get_mut("ben-cole")
            .and_then(|by_period| by_period.get_mut(&first))
            .unwrap();
        figures.closed_won = figures
            .closed_won
            .checked_add(Money::from_major(1))
            .unwrap();
        let Some(Reach::Within { people, from }) = Reach::between(&model, &edited) else {
            panic!("one record reaches some people");
        };
        assert_eq!(from, first);
        // Ben reports to Mia, who reports to Lee.
        let expected: BTreeSet<String> = ["ben-cole", "mia-ford", "lee-ross"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(people, expected);
    }

    #[test]
    fn a_change_every_page_depends_on_reaches_all() {
        let model = small_model();
        let mut fewer = model.clone();
        fewer.periods.pop();
        assert_eq!(Reach::between(&model, &fewer), Some(Reach::All));
        let mut inactive = model.clone();
        inactive.people.get_mut("ben-cole").unwrap().active = false;
        assert_eq!(Reach::between(&model, &inactive), Some(Reach::All));
    }
}
