//! The file's side of an import: its header checked by name, its records read on a blocking
//! thread and handed over a small channel.

use super::*;

/// What the reader thread hands over.
pub(super) enum Read {
    /// The header's column names.
    Header(Vec<String>),
    /// A record and the line it starts on.
    Row(u64, Vec<String>),
    /// A record that is not CSV the header can read.
    Bad(u64, Msg),
    /// The file cannot be read at all.
    File(Msg),
}

/// The columns the file may hold, by name; every other name refuses the file.
pub(super) fn columns(names: &[String], locale: Locale) -> Result<HashMap<String, usize>, String> {
    let mut columns = HashMap::new();
    for (at, name) in names.iter().enumerate() {
        let name = name
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        if !crate::admin::exports::PRODUCT_COLUMNS.contains(&name.as_str()) {
            return Err(format!(
                "{}{}« {name} »",
                locale.t(Msg::ImportUnknownColumn),
                locale.colon()
            ));
        }
        if columns.insert(name.clone(), at).is_some() {
            return Err(format!(
                "{}{}« {name} »",
                locale.t(Msg::ImportDuplicateColumn),
                locale.colon()
            ));
        }
    }
    if !columns.contains_key("sku") {
        return Err(locale.t(Msg::ImportNoSkuColumn).to_owned());
    }
    Ok(columns)
}

/// Reads the file at `path` into `send`: the header, then each record. Runs on a blocking
/// thread; stops when the receiver is gone.
pub(super) fn read_file(path: &std::path::Path, send: &tokio::sync::mpsc::Sender<Read>) {
    use std::io::{BufRead, Seek};
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) => {
            tracing::error!(%error, "CSV import: the file received cannot be read");
            let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
            return;
        }
    };
    // `;` as the export writes it, or `,` as a spreadsheet set to English saves it: whichever
    // the header line holds more of.
    let mut file = std::io::BufReader::new(file);
    let mut first = Vec::new();
    let delimiter = match file.read_until(b'\n', &mut first) {
        Ok(_) => {
            let count = |b: u8| first.iter().filter(|c| **c == b).count();
            if count(b',') > count(b';') {
                b','
            } else {
                b';'
            }
        }
        Err(_) => b';',
    };
    if file.rewind().is_err() {
        let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
        return;
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(file);
    let header = match csv.headers() {
        Ok(header) => header.iter().map(str::to_owned).collect::<Vec<_>>(),
        Err(error) => {
            let msg = if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) {
                Msg::ImportNotUtf8
            } else {
                Msg::ImportUnreadable
            };
            let _ = send.blocking_send(Read::File(msg));
            return;
        }
    };
    let width = header.len();
    if send.blocking_send(Read::Header(header)).is_err() {
        return;
    }
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        let item = match csv.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(true) if record.len() != width => Read::Bad(line, Msg::ImportFieldCount),
            Ok(true) => Read::Row(line, record.iter().map(str::to_owned).collect()),
            Err(error) if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) => {
                // A spreadsheet saved in its own encoding: every row would be refused alike.
                let _ = send.blocking_send(Read::File(Msg::ImportNotUtf8));
                return;
            }
            Err(error) => {
                tracing::info!(%error, "CSV import: a record cannot be read");
                let _ = send.blocking_send(Read::File(Msg::ImportUnreadable));
                return;
            }
        };
        if send.blocking_send(item).is_err() {
            return;
        }
    }
}

/// A record read through the header's columns.
pub(super) struct Row<'a> {
    pub(super) columns: &'a HashMap<String, usize>,
    pub(super) fields: &'a [String],
}

impl Row<'_> {
    /// The row's SKU, as products store it.
    pub(super) fn sku(&self) -> String {
        self.get("sku")
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase()
    }

    /// The field of column `name`, if the file has that column.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.columns
            .get(name)
            .and_then(|at| self.fields.get(*at))
            .map(String::as_str)
    }

    /// The field of column `name` without its spaces, if the file has it and it is not empty.
    pub(super) fn cell(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }
}
