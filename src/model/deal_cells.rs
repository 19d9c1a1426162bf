//! Model stage, deals: one export's header and cells — the mapped
//! columns found in the header, and a row's cells read and checked (owner,
//! stage, dates, amount in the site's currency, forecast category,
//! probability), each problem an error at its line and column. Used by
//! [`super::deal_rows`] for exports and snapshots alike. Entry:
//! [`check_row`].

use super::currency::Ratio;
use super::deals::{Outcome, Owners, Settings};
use crate::error::{Diagnostic, Position};
use crate::text::closest;
use crate::vocab::figures::Category;
use crate::vocab::money::Money;
use crate::vocab::period::Period;
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The index of each mapped column in the header.
pub(super) struct Columns {
    /// Bullpen field → the export's column name, for messages.
    pub(super) names: HashMap<String, String>,
    /// The fields every row reads, resolved once rather than per cell.
    pub(super) owner: Option<usize>,
    pub(super) stage: Option<usize>,
    pub(super) created: Option<usize>,
    pub(super) closed: Option<usize>,
    pub(super) amount: Option<usize>,
    pub(super) id: Option<usize>,
    pub(super) account: Option<usize>,
    pub(super) currency: Option<usize>,
    pub(super) forecast_category: Option<usize>,
    pub(super) probability: Option<usize>,
    /// (field name, column) of each field an open deal should have.
    pub(super) required: Vec<(String, Option<usize>)>,
}

impl Columns {
    /// Finds each mapped column in the header; `None` (with an error per
    /// column) when any is missing.
    pub(super) fn of_header(
        file: &Path,
        header: &csv::StringRecord,
        settings: &Settings,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Columns> {
        let mut index = HashMap::new();
        let mut names = HashMap::new();
        let mut missing = false;
        for (field, name) in settings.columns {
            match header.iter().position(|h| h.trim() == name.trim()) {
                Some(at) => {
                    index.insert(field.clone(), at);
                    names.insert(field.clone(), name.clone());
                }
                None => {
                    missing = true;
                    let mut diagnostic = Diagnostic::error(
                        file,
                        format!("the column `{name}` (for `{field}`) is not in the header"),
                    )
                    .at(Some(Position::line(1)));
                    if let Some(near) = closest(name, header.iter()) {
                        diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                    }
                    diagnostics.push(diagnostic);
                }
            }
        }
        if missing {
            return None;
        }
        let at = |field: &str| index.get(field).copied();
        Some(Columns {
            owner: at("owner"),
            stage: at("stage"),
            created: at("created"),
            closed: at("closed"),
            amount: at("amount"),
            id: at("id"),
            account: at("account"),
            currency: at("currency"),
            forecast_category: at("forecast_category"),
            probability: at("probability"),
            required: settings
                .required
                .iter()
                .map(|field| (field.clone(), at(field)))
                .collect(),
            names,
        })
    }
}

/// A row's cells, with the line and column names that messages about
/// them give.
pub(super) struct Cells<'r> {
    pub(super) file: &'r Path,
    pub(super) line: usize,
    pub(super) record: &'r csv::StringRecord,
    pub(super) columns: &'r Columns,
}

impl<'r> Cells<'r> {
    /// The trimmed text of a column, unless blank.
    pub(super) fn get(&self, column: Option<usize>) -> Option<&'r str> {
        column
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }

    /// An error about the field's cell, named by the export's column.
    pub(super) fn error(&self, field: &str, message: String) -> Diagnostic {
        let column = self
            .columns
            .names
            .get(field)
            .map(String::as_str)
            .unwrap_or(field);
        Diagnostic::error(self.file, format!("column `{column}`: {message}"))
            .at(Some(Position::line(self.line)))
    }

    /// A date cell in the site's format; a cell that is not one is an error.
    pub(super) fn date(
        &self,
        field: &str,
        column: Option<usize>,
        settings: &Settings,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Date> {
        let text = self.get(column)?;
        let date = parse_date(text, settings.date_format);
        if date.is_none() {
            diagnostics.push(self.error(
                field,
                format!(
                    "`{text}` is not a date in the format `{}`",
                    settings.date_format
                ),
            ));
        }
        date
    }

    /// An amount cell: a number of 0 or more, at most two decimals, in
    /// `currency` (the row's, else the site's): written with another
    /// currency's symbol or code it is an error, never summed as it is.
    pub(super) fn amount(
        &self,
        column: Option<usize>,
        currency: &str,
        from_column: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Money> {
        let text = self.get(column)?;
        if let Some(written) = super::currency::written_currency(text)
            && !super::currency::same_currency(written, currency)
        {
            let named = match written {
                "$" => "a dollar sign".to_string(),
                "?" => "letters that are no currency code".to_string(),
                code => code.to_string(),
            };
            let (message, help) = if from_column {
                (
                    format!("`{text}` is written in {named}, but the row's currency is {currency}"),
                    "write the amount as a plain number in the row's currency",
                )
            } else {
                (
                    format!(
                        "`{text}` is written in {named}, not the site's currency {currency}; without a `currency` column every amount is taken as {currency}"
                    ),
                    "map the export's currency column (`columns: {currency: …}`) and give its rate in site.yaml's `rates:`, or export the amounts in the site's currency",
                )
            };
            diagnostics.push(self.error("amount", message).with_help(help));
            return None;
        }
        let message = match parse_amount(text) {
            Some(amount) if amount >= Money::ZERO => return Some(amount),
            Some(_) => format!("`{text}` is negative; a deal's amount is 0 or more"),
            None => format!(
                "`{text}` is not an amount; expected a number of at most {} with at most two decimals",
                crate::vocab::money::MAX_MAJOR
            ),
        };
        diagnostics.push(self.error("amount", message));
        None
    }
}

/// What a row says about its deal, once its cells are checked.
pub(super) struct Row<'a> {
    pub(super) owner: &'a str,
    pub(super) outcome: Outcome,
    /// The open stage's index in `stages.open`, `None` for one not listed.
    pub(super) stage: Option<usize>,
    pub(super) created: Option<Date>,
    pub(super) closed: Option<Date>,
    /// In the site's currency.
    pub(super) amount: Option<Money>,
    pub(super) category: Option<Category>,
    pub(super) probability: Option<Ratio>,
}

/// Reads and checks a row's cells: every problem is an error at its line;
/// `None` when there is one, or when the owner matches no person (noted
/// once per owner).
pub(super) fn check_row<'a>(
    cells: &Cells,
    settings: &Settings,
    owners: &Owners<'a>,
    diagnostics: &mut Vec<Diagnostic>,
    unmatched: &mut BTreeMap<String, usize>,
) -> Option<Row<'a>> {
    let columns = cells.columns;
    let before = diagnostics.len();
    let owner_cell = cells.get(columns.owner).unwrap_or("");
    let owner = owners.find(owner_cell, settings.owner_match);
    if owner.is_none() {
        if owner_cell.is_empty() {
            diagnostics.push(cells.error("owner", "the owner is blank".into()));
        } else if !unmatched.contains_key(owner_cell) {
            unmatched.insert(owner_cell.to_string(), cells.line);
        }
    }
    let stage = cells.get(columns.stage).unwrap_or("");
    let stage_index = settings.open.iter().position(|s| *s == stage);
    let outcome = if settings.won.contains(&stage) {
        Outcome::Won
    } else if settings.lost.contains(&stage) {
        Outcome::Lost
    } else if settings.no_decision.contains(&stage) {
        Outcome::NoDecision
    } else if settings.strict && stage_index.is_none() {
        let mut error = cells.error(
            "stage",
            format!("`{stage}` is not a stage named in site.yaml (won, lost, no_decision or open)"),
        );
        let known = (settings.won.iter())
            .chain(&settings.lost)
            .chain(&settings.no_decision)
            .chain(&settings.open)
            .copied();
        error = match closest(stage, known) {
            Some(near) => error.with_help(format!("did you mean `{near}`? Otherwise list it under `deals.stages` (or set `strict: false` to count unlisted stages as open)")),
            None => error.with_help("list it under `deals.stages` (or set `strict: false` to count unlisted stages as open)"),
        };
        diagnostics.push(error);
        Outcome::Open
    } else {
        Outcome::Open
    };
    let created = cells.date("created", columns.created, settings, diagnostics);
    let closed = cells.date("closed", columns.closed, settings, diagnostics);
    let currency = currency_of(cells, settings, diagnostics);
    let amount = match currency {
        Some(code) => {
            let written = cells.amount(
                columns.amount,
                code,
                columns.currency.is_some(),
                diagnostics,
            );
            // A period's own rate is looked for only when there is a rate to take.
            let period = (code != settings.rates.site)
                .then(|| closed.or(created))
                .flatten()
                .map(|d| Period::containing(d, settings.period_kind, settings.calendar));
            written.and_then(|amount| match settings.rates.convert(amount, code, period) {
                Ok(converted) => Some(converted),
                Err(message) => {
                    diagnostics.push(cells.error("currency", message).with_help(
                        "add the rate to site.yaml, like `rates: {EUR: 1.08}` (site-currency units per unit)",
                    ));
                    None
                }
            })
        }
        None => None,
    };
    let category = if outcome == Outcome::Open {
        category_of(cells, settings, diagnostics)
    } else {
        None
    };
    let probability = if outcome == Outcome::Open {
        probability_of(cells, stage, settings, diagnostics)
    } else {
        None
    };
    if let (Some(created), Some(closed)) = (created, closed)
        && closed < created
        && outcome != Outcome::Open
    {
        diagnostics.push(cells.error(
            "closed",
            format!("the deal closed on {closed}, before it was created on {created}"),
        ));
    }
    if outcome != Outcome::Open && closed.is_none() && cells.get(columns.closed).is_none() {
        diagnostics.push(cells.error(
            "closed",
            format!(
                "a {} deal needs a close date",
                match outcome {
                    Outcome::Won => "won",
                    Outcome::Lost => "lost",
                    _ => "closed",
                }
            ),
        ));
    }
    if outcome == Outcome::Won && amount.is_none() && cells.get(columns.amount).is_none() {
        diagnostics.push(cells.error("amount", "a won deal needs an amount".into()));
    }
    let owner = owner?;
    (diagnostics.len() == before).then_some(Row {
        owner,
        outcome,
        stage: stage_index,
        created,
        closed,
        amount,
        category,
        probability,
    })
}

/// The row's currency: its `currency` cell (an ISO 4217 code, any case;
/// blank is the site's), else the site's. `None` after an error.
fn currency_of<'s>(
    cells: &Cells,
    settings: &'s Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'s str> {
    let site = settings.rates.site.as_str();
    let Some(text) = cells.get(cells.columns.currency) else {
        return Some(site);
    };
    if text == site {
        return Some(site);
    }
    if let Some(code) = super::currency::iso_code(text) {
        return Some(code);
    }
    diagnostics.push(
        cells
            .error(
                "currency",
                format!("`{text}` is not an ISO 4217 currency code"),
            )
            .with_help("expected a three-letter code such as USD, EUR or GBP"),
    );
    None
}

/// An open deal's forecast category from its cell; an unknown value is an
/// error naming the closest known one.
fn category_of(
    cells: &Cells,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Category> {
    cells.columns.forecast_category?;
    let Some(text) = cells.get(cells.columns.forecast_category) else {
        diagnostics.push(cells.error(
            "forecast_category",
            "an open deal needs a forecast category".into(),
        ));
        return None;
    };
    match settings.categories.get(text) {
        Some(Some(category)) => Some(*category),
        Some(None) => {
            diagnostics.push(cells.error(
                "forecast_category",
                format!("`{text}` is a closed category, but the deal's stage is open"),
            ));
            None
        }
        None => {
            let mut error = cells.error(
                "forecast_category",
                format!(
                    "`{text}` is not a forecast category listed in site.yaml's `deals.categories`"
                ),
            );
            if let Some(near) = closest(text, settings.categories.keys().copied()) {
                error = error.with_help(format!("did you mean `{near}`?"));
            }
            diagnostics.push(error);
            None
        }
    }
}

/// An open deal's probability in percent: its cell, else its stage's.
fn probability_of(
    cells: &Cells,
    stage: &str,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Ratio> {
    match cells.get(cells.columns.probability) {
        Some(text) => {
            let text = text.strip_suffix('%').unwrap_or(text);
            match super::deals::percent(text) {
                Ok(rate) => Some(rate),
                Err(message) => {
                    diagnostics.push(cells.error("probability", message));
                    None
                }
            }
        }
        None => settings.stage_probability.get(stage).copied(),
    }
}

/// One error for a header that is a single column holding another
/// delimiter: the export was saved with semicolons or tabs, and every
/// mapped column would otherwise be reported missing.
pub(super) fn wrong_delimiter(file: &Path, header: &csv::StringRecord) -> Option<Diagnostic> {
    if header.len() != 1 {
        return None;
    }
    let only = header.get(0).unwrap_or("");
    let (name, delimiter) = [("semicolon", ';'), ("tab", '\t'), ("pipe", '|')]
        .into_iter()
        .find(|(_, delimiter)| only.contains(*delimiter))?;
    let shown = crate::text::excerpt(only, 60);
    Some(
        Diagnostic::error(
            file,
            format!(
                "the header has one column `{shown}`: the file looks {name}-delimited (`{}`); Bullpen reads comma-separated exports",
                delimiter.escape_default()
            ),
        )
        .at(Some(Position::line(1)))
        .with_help("export it comma-separated (CSV with commas), or save it again as \"CSV UTF-8 (comma delimited)\""),
    )
}

/// A date in the export's strftime pattern; `%Y-%m-%d` takes a fast path.
pub(super) fn parse_date(text: &str, format: &str) -> Option<Date> {
    if format == "%Y-%m-%d" {
        let bytes = text.as_bytes();
        if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
            let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i16>().ok();
            return Date::new(number(0..4)?, number(5..7)? as i8, number(8..10)? as i8).ok();
        }
        return None;
    }
    jiff::fmt::strtime::parse(format, text).ok()?.to_date().ok()
}

/// An amount as exports write it: `12500`, `12,500.00`, `$12,500`, `USD 99.5`.
pub(super) fn parse_amount(text: &str) -> Option<Money> {
    let cleaned: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    // Letters only as a currency code (`USD 99.5`), which the caller has
    // checked against the row's currency.
    let letters: String = text.chars().filter(char::is_ascii_alphabetic).collect();
    let stripped_ok = text
        .chars()
        .all(|c| c.is_ascii_digit() || ".,- $€£¥".contains(c) || c.is_ascii_alphabetic())
        && (letters.is_empty() || super::currency::is_iso_4217(&letters.to_ascii_uppercase()));
    if cleaned.is_empty() || !stripped_ok {
        return None;
    }
    Money::parse(&cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_pattern() {
        assert_eq!(
            parse_date("2026-07-15", "%Y-%m-%d"),
            Some(Date::constant(2026, 7, 15))
        );
        assert_eq!(parse_date("2026-02-30", "%Y-%m-%d"), None);
        assert_eq!(
            parse_date("15/07/2026", "%d/%m/%Y"),
            Some(Date::constant(2026, 7, 15))
        );
        assert_eq!(
            parse_date("7/15/2026", "%m/%d/%Y"),
            Some(Date::constant(2026, 7, 15))
        );
        assert_eq!(parse_date("soon", "%Y-%m-%d"), None);
        // HubSpot writes a time after the date.
        assert_eq!(
            parse_date("2026-07-15 13:45", "%Y-%m-%d %H:%M"),
            Some(Date::constant(2026, 7, 15))
        );
    }

    #[test]
    fn amounts_as_exports_write_them() {
        assert_eq!(parse_amount("12,500.00"), Some(Money::from_major(12_500)));
        assert_eq!(parse_amount("$12,500"), Some(Money::from_major(12_500)));
        assert_eq!(parse_amount("99.5"), Some(Money::from_minor(9950)));
        assert_eq!(parse_amount("about 5k"), None);
        assert_eq!(parse_amount("USD 99.5"), Some(Money::from_minor(9950)));
        assert_eq!(parse_amount("ABCD 5"), None);
    }
}
