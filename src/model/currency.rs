//! Model stage, deals: currencies — ISO 4217 codes, the `rates:` of
//! site.yaml as exact decimal ratios, conversion of an amount into the
//! site's currency, and the currency an amount cell is written in.
//! Entries: [`rates`], [`Rates::convert`], [`written_currency`].
//!
//! Conversion is exact: a rate is read as the decimal it is written as (a
//! YAML number's shortest decimal form, which reads back as the same float,
//! or a string such as `"1.0825"`), kept as an integer ratio, and an amount
//! of `m` hundredths becomes `m × numerator / denominator` hundredths of
//! the site's currency, computed in 128-bit integers and rounded half away
//! from zero, once per deal.

use crate::error::Diagnostic;
use crate::load::Located;
use crate::load::raw::{RawNumber, RawRate, RawSite};
use crate::vocab::money::{MAX_MAJOR, Money};
use crate::vocab::period::Period;
use std::collections::HashMap;

/// The active ISO 4217 currency codes (and the precious metals and funds
/// codes CRMs do not use are left out).
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN \
ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD \
JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU \
MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB \
RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD \
TVD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL";

/// Whether `code` is an ISO 4217 currency code (upper case).
pub fn is_iso_4217(code: &str) -> bool {
    code.len() == 3 && ISO_4217.split(' ').any(|c| c == code)
}

/// The ISO 4217 code `text` names, in any case (`eur` is EUR).
pub fn iso_code(text: &str) -> Option<&'static str> {
    if text.len() != 3 {
        return None;
    }
    ISO_4217.split(' ').find(|c| c.eq_ignore_ascii_case(text))
}

/// A positive decimal as an exact ratio: `1.0825` is 10825 / 10000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: i128,
    pub denominator: i128,
}

impl Ratio {
    /// Reads a plain decimal (`1.08`, `110`, `0.0065`); at most 12 decimals.
    pub fn parse(text: &str) -> Option<Ratio> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if (whole.is_empty() && fraction.is_empty())
            || fraction.len() > 12
            || whole.len() > 15
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let numerator: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Ratio {
            numerator: if negative { -numerator } else { numerator },
            denominator: 10i128.pow(fraction.len() as u32),
        })
    }

    pub fn is_positive(self) -> bool {
        self.numerator > 0
    }

    /// `amount × self`, rounded half away from zero to the hundredth;
    /// `None` past the largest amount Bullpen holds.
    pub fn times(self, amount: Money) -> Option<Money> {
        let product = i128::from(amount.minor()).checked_mul(self.numerator)?;
        let rounded = divide_rounding(product, self.denominator);
        let limit = i128::from(MAX_MAJOR) * 100;
        (rounded.abs() <= limit).then(|| Money::from_minor(rounded as i64))
    }
}

/// `value / by` rounded half away from zero (`by` > 0).
pub fn divide_rounding(value: i128, by: i128) -> i128 {
    (2 * value + by * value.signum()) / (2 * by)
}

/// The rates of site.yaml: the flat ones, and each period's own.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    pub site: String,
    flat: HashMap<String, Ratio>,
    by_period: HashMap<Period, HashMap<String, Ratio>>,
}

impl Rates {
    /// `amount` in `currency` as the site's currency: the period's own rate
    /// when it has one, else the flat rate. The message says which is missing.
    pub fn convert(
        &self,
        amount: Money,
        currency: &str,
        period: Option<Period>,
    ) -> Result<Money, String> {
        if currency == self.site {
            return Ok(amount);
        }
        let rate = period
            .and_then(|p| self.by_period.get(&p)?.get(currency))
            .or_else(|| self.flat.get(currency));
        let Some(rate) = rate else {
            let when = period.map_or(String::new(), |p| format!(" (for {p})"));
            return Err(format!(
                "there is no rate for {currency}{when} in site.yaml's `rates:`"
            ));
        };
        rate.times(amount).ok_or_else(|| {
            format!(
                "converted to {} the amount passes {}, the largest Bullpen holds",
                self.site,
                Money::from_major(MAX_MAJOR)
            )
        })
    }
}

/// Reads `rates:`; each bad entry is an error at its line.
pub fn rates(site: &Located<RawSite>, currency: &str, diagnostics: &mut Vec<Diagnostic>) -> Rates {
    let mut rates = Rates {
        site: currency.to_string(),
        ..Rates::default()
    };
    let Some(raw) = &site.value.rates else {
        return rates;
    };
    let one = |path: &[&str],
               code: &str,
               value: &RawNumber,
               diagnostics: &mut Vec<Diagnostic>|
     -> Option<(String, Ratio)> {
        if !is_iso_4217(code) {
            diagnostics.push(site.error(
                path,
                format!("`{code}` is not an ISO 4217 currency code, like EUR or GBP"),
            ));
            return None;
        }
        let text = value.text();
        match Ratio::parse(&text) {
            Some(rate) if rate.is_positive() => Some((code.to_string(), rate)),
            Some(_) => {
                diagnostics.push(site.error(path, format!("the rate for {code} is {text}; a rate is above 0 (site-currency units per unit of {code})")));
                None
            }
            None => {
                diagnostics.push(site.error(
                    path,
                    format!("`{text}` is not a rate; expected a decimal such as 1.08"),
                ));
                None
            }
        }
    };
    for (key, value) in raw {
        match value {
            RawRate::Number(number) => {
                let number = RawNumber::Number(*number);
                rates
                    .flat
                    .extend(one(&["rates", key], key, &number, diagnostics));
            }
            RawRate::Text(text) => {
                let text = RawNumber::Text(text.clone());
                rates
                    .flat
                    .extend(one(&["rates", key], key, &text, diagnostics));
            }
            RawRate::Period(map) => {
                let Some(period) = Period::parse(key) else {
                    diagnostics.push(site.error(
                        &["rates", key],
                        format!("`{key}` is neither a currency code with a rate nor a period (like 2026-Q3) with its rates"),
                    ));
                    continue;
                };
                let mut own = HashMap::new();
                for (code, value) in map {
                    own.extend(one(&["rates", key, code], code, value, diagnostics));
                }
                rates.by_period.insert(period, own);
            }
        }
    }
    rates
}

/// The currency an amount cell names by a symbol or code (`€50000`,
/// `EUR 500`, `500 eur`), if any: `Some("$")` for a dollar sign, which
/// several currencies share.
pub fn written_currency(text: &str) -> Option<&'static str> {
    const SYMBOLS: [(&str, &str); 9] = [
        ("€", "EUR"),
        ("£", "GBP"),
        ("¥", "JPY"),
        ("₹", "INR"),
        ("₩", "KRW"),
        ("₽", "RUB"),
        ("₺", "TRY"),
        ("₪", "ILS"),
        ("$", "$"),
    ];
    if let Some((_, code)) = SYMBOLS.iter().find(|(symbol, _)| text.contains(symbol)) {
        return Some(code);
    }
    let letters: String = text
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_uppercase();
    // Only a three-letter word can be a code: `lots` is no amount at all.
    if letters.len() != 3 {
        return None;
    }
    let code = ISO_4217.split(' ').find(|c| *c == letters);
    Some(code.unwrap_or("?"))
}

/// Whether an amount written with `written` (from [`written_currency`])
/// is in `currency`.
pub fn same_currency(written: &str, currency: &str) -> bool {
    match written {
        "$" => matches!(
            currency,
            "USD" | "CAD" | "AUD" | "NZD" | "SGD" | "HKD" | "MXN"
        ),
        "JPY" => matches!(currency, "JPY" | "CNY"),
        code => code == currency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_exact_decimal_ratios() {
        assert_eq!(
            Ratio::parse("1.08"),
            Some(Ratio {
                numerator: 108,
                denominator: 100
            })
        );
        assert_eq!(Ratio::parse("110").unwrap().denominator, 1);
        assert_eq!(Ratio::parse("-0.5").unwrap().numerator, -5);
        assert_eq!(Ratio::parse("1.0.8"), None);
        assert_eq!(Ratio::parse("about 1"), None);
        // A YAML float is read as its shortest decimal, not its binary value.
        assert_eq!(RawNumber::Number(1.09).text(), "1.09");
        assert_eq!(RawNumber::Number(0.0065).text(), "0.0065");
    }

    #[test]
    fn conversion_rounds_half_away_from_zero_per_amount() {
        let rate = Ratio::parse("1.085").unwrap();
        // 0.10 × 1.085 = 0.1085 → 0.11; 12,345.67 × 1.085 = 13,395.05195 → 13,395.05
        assert_eq!(
            rate.times(Money::from_minor(10)),
            Some(Money::from_minor(11))
        );
        assert_eq!(
            rate.times(Money::from_minor(1_234_567)),
            Some(Money::from_minor(1_339_505))
        );
        // 0.50 × 0.0065 = 0.00325 → 0.00; 1.00 × 0.005 = 0.005 → 0.01
        assert_eq!(
            Ratio::parse("0.0065").unwrap().times(Money::from_minor(50)),
            Some(Money::ZERO)
        );
        assert_eq!(
            Ratio::parse("0.005").unwrap().times(Money::from_minor(100)),
            Some(Money::from_minor(1))
        );
        assert_eq!(divide_rounding(-5, 10), -1);
        let huge = Money::from_major(MAX_MAJOR);
        assert_eq!(Ratio::parse("2").unwrap().times(huge), None);
    }

    #[test]
    fn a_period_rate_comes_before_the_flat_one() {
        let q3 = Period::parse("2026-Q3").unwrap();
        let rates = Rates {
            site: "USD".into(),
            flat: [("EUR".to_string(), Ratio::parse("1.08").unwrap())].into(),
            by_period: [(
                q3,
                [("EUR".to_string(), Ratio::parse("1.1").unwrap())].into(),
            )]
            .into(),
        };
        let amount = Money::from_major(100);
        assert_eq!(rates.convert(amount, "USD", None), Ok(amount));
        assert_eq!(
            rates.convert(amount, "EUR", Some(q3)),
            Ok(Money::from_major(110))
        );
        assert_eq!(
            rates.convert(amount, "EUR", Some(q3.previous())),
            Ok(Money::from_major(108))
        );
        let missing = rates.convert(amount, "GBP", Some(q3)).unwrap_err();
        assert_eq!(
            missing,
            "there is no rate for GBP (for 2026-Q3) in site.yaml's `rates:`"
        );
    }

    #[test]
    fn amounts_name_their_currency_by_symbol_or_code() {
        assert_eq!(written_currency("€50000"), Some("EUR"));
        assert_eq!(written_currency("£1,200.50"), Some("GBP"));
        assert_eq!(written_currency("¥5000000"), Some("JPY"));
        assert_eq!(written_currency("EUR 500"), Some("EUR"));
        assert_eq!(written_currency("500 eur"), Some("EUR"));
        assert_eq!(written_currency("$12,500"), Some("$"));
        assert_eq!(written_currency("12,500.00"), None);
        assert_eq!(written_currency("500 XYZ"), Some("?"));
        assert!(same_currency("$", "USD"));
        assert!(!same_currency("$", "EUR"));
        assert!(is_iso_4217("EUR") && !is_iso_4217("EURO") && !is_iso_4217("XYZ"));
        assert_eq!(iso_code("gbp"), Some("GBP"));
        assert_eq!(iso_code("EURO"), None);
    }
}
