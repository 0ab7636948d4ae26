//! `/admin/products/import`: products from a CSV file in the export's format. A trial run
//! first (every row checked and saved inside a transaction that is then rolled back), its
//! report kept in the session; then the same file applied in one transaction, refused whole
//! while any row is refused. The upload itself is a plain multipart form
//! (`upload::upload_product_import`), so the page works before its WASM arrives.

use super::*;

/// The form field of the file.
pub const IMPORT_FIELD: &str = "file";
/// Session key of the last import's report.
pub const IMPORT_REPORT: &str = "product_import_report";
/// The rows a report lists at most beside its counts (refused rows come first).
pub const IMPORT_LISTED: usize = 500;

/// What became of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowOutcome {
    Created,
    /// The fields that change (a price as from → to).
    Changed(Vec<String>),
    /// Why the row cannot be saved.
    Refused(String),
}

/// A row of the report: its line in the file, its SKU and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub line: u64,
    pub sku: String,
    pub outcome: RowOutcome,
}

/// What a trial or an import did with a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    /// The file's SHA-256 (hex): the apply form sends it back, and another file is refused.
    pub sha256: String,
    /// Whether the rows were saved (false: a trial, or an import refused whole).
    pub applied: bool,
    /// Whether it was a trial run.
    pub trial: bool,
    pub rows: u64,
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub refused: u64,
    /// Refused rows first, then created and changed ones, at most [`IMPORT_LISTED`].
    pub lines: Vec<ReportLine>,
    /// Rows created, changed or refused that are not listed.
    pub unlisted: u64,
    /// Why the whole file was refused (header, encoding, size, not the file tried).
    pub file_error: Option<String>,
}

impl ImportReport {
    /// Counts `line` and lists it while there is room (refused rows before the others).
    pub fn add(&mut self, line: ReportLine) {
        match &line.outcome {
            RowOutcome::Created => self.created += 1,
            RowOutcome::Changed(_) => self.changed += 1,
            RowOutcome::Refused(_) => self.refused += 1,
        }
        if self.lines.len() < IMPORT_LISTED {
            self.lines.push(line);
            return;
        }
        self.unlisted += 1;
        if matches!(line.outcome, RowOutcome::Refused(_)) {
            // Make room: a refusal says more than a change.
            if let Some(at) = self
                .lines
                .iter()
                .rposition(|l| !matches!(l.outcome, RowOutcome::Refused(_)))
            {
                self.lines.remove(at);
                self.lines.push(line);
            }
        }
    }

    /// The listed rows in the order staff read them: refusals, then by line.
    pub fn sorted(mut self) -> Self {
        self.lines
            .sort_by_key(|l| (!matches!(l.outcome, RowOutcome::Refused(_)), l.line));
        self
    }
}

/// The report of the last trial or import of this session, if any.
#[server(prefix = "/api", endpoint = "admin/products/import")]
pub async fn product_import_report() -> Result<Option<ImportReport>, AppError> {
    crate::account::api::ssr::require_staff_state().await?;
    let session = crate::account::api::ssr::session().await?;
    Ok(session
        .get::<ImportReport>(IMPORT_REPORT)
        .await
        .ok()
        .flatten())
}

/// `/admin/products/import`.
#[component]
pub fn AdminProductImportPage() -> impl IntoView {
    let locale = use_locale();
    let report = OnceResource::new(product_import_report());
    view! {
        <PageMeta title=locale.t(Msg::ImportTitle) description=locale.t(Msg::ImportTitle) path="/admin/products/import" noindex=true/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <Import report locale/> }.into_any(),
                    Err(error) => super::super::gate(error, "/admin/products/import"),
                }
            })}
        </Suspense>
    }
}

/// The upload form: a trial, or (with the SHA-256 of the file tried) the import itself.
#[component]
fn UploadForm(locale: Locale, apply: Option<String>) -> impl IntoView {
    let id = if apply.is_some() {
        "import-apply-file"
    } else {
        "import-file"
    };
    let (mode, label) = match apply {
        Some(_) => ("apply", Msg::ImportApply),
        None => ("check", Msg::ImportCheck),
    };
    view! {
        <form method="post" enctype="multipart/form-data" action="/admin/products/import/upload" data-testid=format!("import-{mode}")>
            <input type="hidden" name="mode" value=mode/>
            {apply.map(|sha| view! { <input type="hidden" name="checked" value=sha/> })}
            <div class="field">
                <label for=id>{locale.t(Msg::ImportFile)}</label>
                <input id=id name=IMPORT_FIELD type="file" accept=".csv,text/csv" required=true/>
            </div>
            <button class=if mode == "apply" { "button button--primary" } else { "button" } type="submit">{locale.t(label)}</button>
        </form>
    }
}

#[component]
fn Import(report: Option<ImportReport>, locale: Locale) -> impl IntoView {
    let summary = report.map(|r| {
        let can_apply = r.trial
            && r.file_error.is_none()
            && r.refused == 0
            && r.created + r.changed > 0;
        let heading = match (r.trial, r.applied) {
            (true, _) => locale.t(Msg::ImportTrial),
            (false, true) => locale.t(Msg::ImportApplied),
            (false, false) => locale.t(Msg::ImportNothingWritten),
        };
        let (created, changed) = if r.trial {
            (Msg::ImportCreated, Msg::ImportChanged)
        } else {
            (Msg::ImportDidCreate, Msg::ImportDidChange)
        };
        let colon = locale.colon();
        let counts = format!(
            "{}{colon}{} — {}{colon}{} · {}{colon}{} · {}{colon}{} · {}{colon}{}",
            locale.t(Msg::ImportRows),
            r.rows,
            locale.t(created),
            r.created,
            locale.t(changed),
            r.changed,
            locale.t(Msg::ImportUnchanged),
            r.unchanged,
            locale.t(Msg::ImportRefused),
            r.refused,
        );
        let nothing = r.file_error.is_none() && r.created + r.changed + r.refused == 0;
        let lines = r.lines.clone();
        view! {
            <article class="account__panel" data-testid="import-report">
                <h2>{heading}" — « "{r.file_name.clone()}" »"</h2>
                {match r.file_error.clone() {
                    Some(error) => view! { <p class="form-error" role="alert" data-testid="import-file-error">{error}</p> }.into_any(),
                    None => view! { <p role="status" data-testid="import-counts">{counts}</p> }.into_any(),
                }}
                {nothing.then(|| view! { <p>{locale.t(Msg::ImportNothingToDo)}</p> })}
                {(!lines.is_empty()).then(|| view! {
                    <div class="table-scroll">
                        <table class="admin-table" data-testid="import-lines">
                            <thead><tr>
                                <th scope="col" class="admin-table__number">{locale.t(Msg::ImportLine)}</th>
                                <th scope="col">"SKU"</th>
                                <th scope="col">{locale.t(Msg::ImportOutcome)}</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|l| {
                                    let (class, text) = match l.outcome {
                                        RowOutcome::Created => ("", locale.t(Msg::ImportOutcomeCreated).to_owned()),
                                        RowOutcome::Changed(fields) => ("", format!("{}{}{}", locale.t(Msg::ImportOutcomeChanged), locale.colon(), fields.join(", "))),
                                        RowOutcome::Refused(why) => ("form-error", format!("{}{}{}", locale.t(Msg::ImportOutcomeRefused), locale.colon(), why)),
                                    };
                                    view! {
                                        <tr>
                                            <td class="admin-table__number">{l.line}</td>
                                            <td>{l.sku}</td>
                                            <td class=class>{text}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
                {(r.unlisted > 0).then(|| view! { <p>{format!("+ {} {}", r.unlisted, locale.t(Msg::ImportMore))}</p> })}
                {can_apply.then(|| view! {
                    <p>{locale.t(Msg::ImportApplyLead)}</p>
                    <UploadForm locale apply=Some(r.sha256.clone())/>
                })}
            </article>
        }
    });
    view! {
        <section class="account container admin">
            <p class="breadcrumb"><a href="/admin">{locale.t(Msg::AdminTitle)}</a>" › "<a href="/admin/products">{locale.t(Msg::AdminCatalogue)}</a></p>
            <h1>{locale.t(Msg::ImportTitle)}</h1>
            {summary}
            <article class="account__panel">
                <p>{locale.t(Msg::ImportLead)}</p>
                <UploadForm locale apply=None/>
            </article>
        </section>
    }
}
