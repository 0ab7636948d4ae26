//! JSON kept in a text column. The store writes it, so a value that does not read back is
//! corrupt data: it is reported as a database error (the request answers an internal error and
//! the cause is logged), never read as an empty list.

use sea_orm::DbErr;
use serde::de::DeserializeOwned;

/// Reads `json`, stored in `column` (named in the error).
///
/// # Errors
/// [`DbErr::Json`] when the text is not the JSON of a `T`.
pub fn read<T: DeserializeOwned>(column: &str, json: &str) -> Result<T, DbErr> {
    serde_json::from_str(json).map_err(|e| DbErr::Json(format!("corrupt JSON in {column}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_json_is_an_error_not_an_empty_value() {
        assert_eq!(read::<Vec<i32>>("t.c", "[1,2]").unwrap(), vec![1, 2]);
        let error = read::<Vec<i32>>("promo_code.scope_ids", "[1,").unwrap_err();
        assert!(
            error.to_string().contains("promo_code.scope_ids"),
            "{error}"
        );
        assert!(read::<Vec<i32>>("t.c", "").is_err());
    }
}
