//! The checkout's details form: bounded, cleaned, and its errors per field.

use super::*;

/// Details that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanDetails {
    pub email: String,
    pub title: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub delivery: AddressSnapshot,
    pub destination: Destination,
    pub billing: AddressSnapshot,
}

/// The longest text a details field keeps: more than any valid field (an address is at most
/// 254 characters), far less than a request body may carry.
pub const MAX_FIELD_CHARS: usize = 256;

/// `input` with every field cut to [`MAX_FIELD_CHARS`], as it is kept in the session between
/// the steps (what was typed comes back for correction; a field longer than that is refused
/// anyway, and a visitor cannot park megabytes in the session store).
pub fn bounded(mut input: DetailsInput) -> DetailsInput {
    fn cut(text: &mut String) {
        if let Some((at, _)) = text.char_indices().nth(MAX_FIELD_CHARS) {
            text.truncate(at);
        }
    }
    for field in [
        &mut input.email,
        &mut input.title,
        &mut input.first_name,
        &mut input.last_name,
        &mut input.phone,
    ] {
        cut(field);
    }
    for address in [&mut input.delivery, &mut input.billing] {
        for field in [
            &mut address.label,
            &mut address.first_name,
            &mut address.last_name,
            &mut address.company,
            &mut address.line1,
            &mut address.line2,
            &mut address.postal_code,
            &mut address.city,
            &mut address.country,
            &mut address.phone,
        ] {
            cut(field);
        }
    }
    input
}

/// Checks the details step: every refused field with its [`InputError`] (empty when all pass).
///
/// # Errors
/// Each refused field, by its form name, in form order.
pub fn clean_details(input: &DetailsInput) -> Result<CleanDetails, Vec<(String, InputError)>> {
    let mut errors = Vec::new();
    let email = normalize_email(&input.email)
        .map_err(|e| errors.push(("email".to_owned(), e)))
        .ok();
    let title = clean_title(&input.title)
        .map_err(|e| errors.push(("title".to_owned(), e)))
        .ok()
        .flatten();
    let first_name = clean_name(&input.first_name);
    if first_name.is_none() {
        errors.push(("first_name".to_owned(), InputError::FirstName));
    }
    let last_name = clean_name(&input.last_name);
    if last_name.is_none() {
        errors.push(("last_name".to_owned(), InputError::LastName));
    }
    let phone = clean_phone(&input.phone)
        .map_err(|e| errors.push(("phone".to_owned(), e)))
        .ok()
        .flatten();
    let delivery = address_fields("delivery", &input.delivery, &mut errors);
    let billing = if input.separate_billing {
        address_fields("billing", &input.billing, &mut errors)
    } else {
        delivery.clone()
    };
    match (email, first_name, last_name, delivery, billing) {
        (Some(email), Some(first_name), Some(last_name), Some(delivery), Some(billing))
            if errors.is_empty() =>
        {
            Ok(CleanDetails {
                email,
                title,
                first_name,
                last_name,
                phone,
                destination: delivery.country,
                delivery: snapshot(delivery),
                billing: snapshot(billing),
            })
        }
        _ => Err(errors),
    }
}

pub(super) fn snapshot(address: CleanAddress) -> AddressSnapshot {
    AddressSnapshot {
        first_name: address.first_name,
        last_name: address.last_name,
        company: address.company,
        line1: address.line1,
        line2: address.line2,
        postal_code: address.postal_code,
        city: address.city,
        country: address.country.code().to_owned(),
        phone: address.phone,
    }
}

/// Checks each field of an address, recording every refusal under `prefix[field]`.
pub(super) fn address_fields(
    prefix: &str,
    input: &AddressInput,
    errors: &mut Vec<(String, InputError)>,
) -> Option<CleanAddress> {
    let before = errors.len();
    let country = Destination::parse(&input.country);
    if country.is_none() {
        errors.push((format!("{prefix}[country]"), InputError::Country));
    }
    let first_name = clean_name(&input.first_name);
    if first_name.is_none() {
        errors.push((format!("{prefix}[first_name]"), InputError::FirstName));
    }
    let last_name = clean_name(&input.last_name);
    if last_name.is_none() {
        errors.push((format!("{prefix}[last_name]"), InputError::LastName));
    }
    let mut line = |field: &str, value: &str, error: InputError, required: bool| {
        let cleaned = if required {
            required_line(value, error).map(Some)
        } else {
            optional_line(value, error)
        };
        cleaned
            .map_err(|e| errors.push((format!("{prefix}[{field}]"), e)))
            .ok()
    };
    let company = line("company", &input.company, InputError::AddressLine, false);
    let line1 = line("line1", &input.line1, InputError::AddressLine, true);
    let line2 = line("line2", &input.line2, InputError::AddressLine, false);
    let city = line("city", &input.city, InputError::City, true);
    let postal_code = country.and_then(|c| {
        clean_postal_code(c, &input.postal_code)
            .map_err(|e| errors.push((format!("{prefix}[postal_code]"), e)))
            .ok()
    });
    let phone = clean_phone(&input.phone)
        .map_err(|e| errors.push((format!("{prefix}[phone]"), e)))
        .ok();
    if errors.len() > before {
        return None;
    }
    Some(CleanAddress {
        label: None,
        first_name: first_name?,
        last_name: last_name?,
        company: company?,
        line1: line1??,
        line2: line2?,
        postal_code: postal_code?,
        city: city??,
        country: country?,
        phone: phone?,
    })
}

/// The first refusal of each field, as the form shows them.
pub fn field_errors(
    errors: Vec<(String, InputError)>,
    message: impl Fn(InputError) -> String,
) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::new();
    for (field, error) in errors {
        if !out.iter().any(|e| e.field == field) {
            out.push(FieldError {
                field,
                message: message(error),
            });
        }
    }
    out
}
