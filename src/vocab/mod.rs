//! Shared vocabulary, below every stage: money, periods, ids, audiences,
//! the accepted ranges of numbers, and one record's figures. It uses
//! nothing else of the crate, so every stage may use it.

pub mod bounds;
pub mod figures;
pub mod money;
pub mod period;

/// A person's id: their file name under `content/people/`.
pub type PersonId = String;

/// Which readers a build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Audience {
    /// The whole sales floor: no coaching material, nothing marked `visibility: managers`.
    Team,
    /// Everything, coaching plans included.
    Managers,
}

impl Audience {
    /// `team` or `managers`: the name `--audience` takes, and the one
    /// messages and templates use.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Team => "team",
            Audience::Managers => "managers",
        }
    }

    /// Whether a page of this visibility belongs in this build.
    pub fn may_see(self, visibility: Visibility) -> bool {
        self == Audience::Managers || visibility == Visibility::Team
    }
}

/// Who a page is for; coaching plans are always `Managers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Team,
    Managers,
}
