#include "store/schema.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {
QString lastErrorOf(const QSqlQuery &q) { return q.lastError().text(); }
} // namespace

const QList<SchemaMigration> &Schema::migrations()
{
    static const QList<SchemaMigration> steps = {
        {1,
         {
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)"),
             // The latest assessment: its files and inventory (JSON, see Inventory::toJson()).
             QStringLiteral("CREATE TABLE assessment ("
                            " id INTEGER PRIMARY KEY CHECK (id = 1),"
                            " assessed_at TEXT NOT NULL,"
                            " files TEXT NOT NULL,"
                            " inventory TEXT NOT NULL)"),
             // Every duplicate and invalid address that assessment listed.
             QStringLiteral("CREATE TABLE assessment_findings ("
                            " id INTEGER PRIMARY KEY,"
                            " kind TEXT NOT NULL,"
                            " address TEXT NOT NULL,"
                            " source TEXT NOT NULL,"
                            " line INTEGER NOT NULL,"
                            " detail TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX assessment_findings_by_kind ON assessment_findings (kind, id)"),
             // Templates, campaigns, automations, integrations and sending domains entered by hand.
             QStringLiteral("CREATE TABLE assets ("
                            " id INTEGER PRIMARY KEY,"
                            " kind TEXT NOT NULL,"
                            " position INTEGER NOT NULL,"
                            " name TEXT NOT NULL DEFAULT '',"
                            " details TEXT NOT NULL DEFAULT '',"
                            " plan TEXT NOT NULL DEFAULT 'undecided',"
                            " notes TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX assets_by_kind ON assets (kind, position)"),
         }},
        {2,
         {
             // Planning: objectives, the people on the migration, the scoring weights the user
             // changed, the timeline's stages and the checklist. The platform choice, the plan's
             // start date and owner are settings ("choice.*", "plan.*"). Ids are never reused, so
             // that an edit of a record that was replaced cannot land on its successor.
             QStringLiteral("CREATE TABLE objectives ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " position INTEGER NOT NULL,"
                            " goal TEXT NOT NULL,"
                            " title TEXT NOT NULL DEFAULT '',"
                            " kpi TEXT NOT NULL DEFAULT '',"
                            " comparison TEXT NOT NULL DEFAULT 'below',"
                            " threshold REAL NOT NULL DEFAULT 0,"
                            " unit TEXT NOT NULL DEFAULT '',"
                            " scope TEXT NOT NULL DEFAULT '',"
                            " notes TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE TABLE people ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " position INTEGER NOT NULL,"
                            " name TEXT NOT NULL DEFAULT '',"
                            " role TEXT NOT NULL DEFAULT '',"
                            " email TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE TABLE criterion_weights (key TEXT PRIMARY KEY, weight INTEGER NOT NULL)"),
             QStringLiteral("CREATE TABLE stages ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " position INTEGER NOT NULL,"
                            " key TEXT NOT NULL UNIQUE,"
                            " kind TEXT NOT NULL,"
                            " title TEXT NOT NULL,"
                            " duration_days INTEGER NOT NULL,"
                            " milestone INTEGER NOT NULL DEFAULT 0,"
                            " earliest_start TEXT NOT NULL DEFAULT '',"
                            " depends_on TEXT NOT NULL DEFAULT '',"
                            " owner TEXT NOT NULL DEFAULT '',"
                            " entry_criteria TEXT NOT NULL DEFAULT '',"
                            " exit_criteria TEXT NOT NULL DEFAULT '',"
                            " contacts INTEGER NOT NULL DEFAULT 0,"
                            " notes TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE TABLE checklist ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " position INTEGER NOT NULL,"
                            " stage_key TEXT NOT NULL,"
                            " title TEXT NOT NULL,"
                            " owner TEXT NOT NULL DEFAULT '',"
                            " due TEXT NOT NULL DEFAULT '',"
                            " status TEXT NOT NULL DEFAULT 'open',"
                            " milestone INTEGER NOT NULL DEFAULT 0,"
                            " offset_days INTEGER NOT NULL DEFAULT 0,"
                            " notes TEXT NOT NULL DEFAULT '')"),
         }},
        {3,
         {
             // The field mapping per target platform ("brevo", "klaviyo"), one row per source
             // field, once the user has touched it (until then it is FieldMapping::suggest()'s).
             // targets: a JSON array (an address is split into several); edited: the user chose
             // this row rather than taking the suggestion.
             QStringLiteral("CREATE TABLE field_mapping ("
                            " target TEXT NOT NULL,"
                            " source TEXT NOT NULL,"
                            " position INTEGER NOT NULL,"
                            " source_type TEXT NOT NULL DEFAULT 'text',"
                            " kind TEXT NOT NULL,"
                            " targets TEXT NOT NULL DEFAULT '[]',"
                            " target_type TEXT NOT NULL DEFAULT 'text',"
                            " note TEXT NOT NULL DEFAULT '',"
                            " edited INTEGER NOT NULL DEFAULT 0,"
                            " PRIMARY KEY (target, source))"),
         }},
        {4,
         {
             // The transfer journal (models/transfer/transferjournal.h). A run is one execution of
             // a stage (key as StageKinds::key(), wave number for the waves); counts is a JSON
             // object; times are ISO 8601 UTC with milliseconds, '' while not set.
             QStringLiteral("CREATE TABLE transfer_runs ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " stage TEXT NOT NULL,"
                            " wave INTEGER NOT NULL DEFAULT 0,"
                            " dry_run INTEGER NOT NULL DEFAULT 0,"
                            " state TEXT NOT NULL DEFAULT 'running'"
                            "  CHECK (state IN ('running', 'paused', 'finished', 'failed', 'cancelled')),"
                            " started_at TEXT NOT NULL,"
                            " finished_at TEXT NOT NULL DEFAULT '',"
                            " counts TEXT NOT NULL DEFAULT '{}',"
                            " approved_by TEXT NOT NULL DEFAULT '',"
                            " approved_at TEXT NOT NULL DEFAULT '',"
                            " comment TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX transfer_runs_by_stage ON transfer_runs (stage, wave, id)"),
             // One batch write; job_id is the platform's import job / process id when it used one.
             QStringLiteral("CREATE TABLE transfer_batches ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " run_id INTEGER NOT NULL REFERENCES transfer_runs (id) ON DELETE CASCADE,"
                            " seq INTEGER NOT NULL,"
                            " state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'done', 'failed')),"
                            " contacts INTEGER NOT NULL DEFAULT 0,"
                            " written INTEGER NOT NULL DEFAULT 0,"
                            " failed INTEGER NOT NULL DEFAULT 0,"
                            " started_at TEXT NOT NULL,"
                            " finished_at TEXT NOT NULL DEFAULT '',"
                            " job_id TEXT NOT NULL DEFAULT '',"
                            " UNIQUE (run_id, seq))"),
             // Resume looks for a run's batches still planned.
             QStringLiteral("CREATE INDEX transfer_batches_by_state ON transfer_batches (run_id, state, seq)"),
             // Every record of a run, once: the email normalised as EmailAddress::normalized().
             // The primary key is what keeps a resumed run from writing anyone twice.
             QStringLiteral("CREATE TABLE transfer_records ("
                            " run_id INTEGER NOT NULL REFERENCES transfer_runs (id) ON DELETE CASCADE,"
                            " email TEXT NOT NULL,"
                            " batch_id INTEGER NOT NULL REFERENCES transfer_batches (id) ON DELETE CASCADE,"
                            " outcome TEXT NOT NULL DEFAULT 'pending'"
                            "  CHECK (outcome IN ('pending', 'written', 'failed', 'skipped')),"
                            " code TEXT NOT NULL DEFAULT '',"
                            " message TEXT NOT NULL DEFAULT '',"
                            " PRIMARY KEY (run_id, email)) WITHOUT ROWID"),
             // A batch's records (completing it, resuming it) ...
             QStringLiteral("CREATE INDEX transfer_records_by_batch ON transfer_records (batch_id, outcome)"),
             // ... and a run's records by outcome, in report order (counts, failures paged).
             QStringLiteral("CREATE INDEX transfer_records_by_outcome ON transfer_records (run_id, outcome, batch_id, email)"),
         }},
        {5,
         {
             // Integrity reviews (models/integrity/reviewstore.h): a manager's decision on a
             // stage after reading its integrity diff. stage is StageRef::id(); run_id the run
             // the diff was made after (0: none); figures the diff's DiffSummary::toJson() with
             // its scope; reviewed_at ISO 8601 UTC with milliseconds.
             QStringLiteral("CREATE TABLE integrity_reviews ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " stage TEXT NOT NULL,"
                            " run_id INTEGER NOT NULL DEFAULT 0,"
                            " reviewer TEXT NOT NULL,"
                            " reviewed_at TEXT NOT NULL,"
                            " decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),"
                            " comment TEXT NOT NULL DEFAULT '',"
                            " figures TEXT NOT NULL DEFAULT '{}')"),
             QStringLiteral("CREATE INDEX integrity_reviews_by_stage ON integrity_reviews (stage, id)"),
         }},
        {6,
         {
             // The journal's records in the order their batches were planned (a rowid table)
             // instead of in the order of their addresses, and without an index of the
             // addresses: a batch's records were scattered over the table and its indexes, so
             // that a batch rewrote about a page per record when it was planned and again when
             // it was completed. Now a batch's records sit together. A run holds an address
             // once because TransferJournal::planBatch(), the only writer of records, checks
             // each address against the run's (kept in memory, read from here by run_id).
             // The index of open records replaces the two that held every record: a written
             // record leaves it when its batch is completed. It holds what is still open
             // (pending, failed, skipped) in report order; a query that reads it repeats its
             // condition, "outcome <> 'written'", which SQLite needs to see to use a partial
             // index. A run's written count is the sum of its batches' (a written record never
             // changes again). Nothing deletes a batch alone: its records would be found by a
             // scan.
             QStringLiteral("CREATE TABLE transfer_records_v6 ("
                            " id INTEGER PRIMARY KEY,"
                            " run_id INTEGER NOT NULL REFERENCES transfer_runs (id) ON DELETE CASCADE,"
                            " email TEXT NOT NULL,"
                            " batch_id INTEGER NOT NULL REFERENCES transfer_batches (id) ON DELETE CASCADE,"
                            " outcome TEXT NOT NULL DEFAULT 'pending'"
                            "  CHECK (outcome IN ('pending', 'written', 'failed', 'skipped')),"
                            " code TEXT NOT NULL DEFAULT '',"
                            " message TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("INSERT INTO transfer_records_v6 (run_id, email, batch_id, outcome, code, message)"
                            " SELECT run_id, email, batch_id, outcome, code, message FROM transfer_records"
                            " ORDER BY run_id, batch_id, email"),
             QStringLiteral("DROP TABLE transfer_records"),
             QStringLiteral("ALTER TABLE transfer_records_v6 RENAME TO transfer_records"),
             QStringLiteral("CREATE INDEX transfer_records_by_run ON transfer_records (run_id)"),
             QStringLiteral("CREATE INDEX transfer_records_open ON transfer_records"
                            " (run_id, outcome, batch_id, email) WHERE outcome <> 'written'"),
         }},
    };
    return steps;
}

int Schema::currentVersion()
{
    return migrations().constLast().toVersion;
}

int Schema::userVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

Status Schema::migrate(QSqlDatabase &db, const QList<SchemaMigration> &steps)
{
    const int from = userVersion(db);
    if (from < 0)
        return Error{tr("the schema version cannot be read: %1.").arg(db.lastError().text())};
    if (!db.transaction())
        return Error{tr("the migration cannot start: %1.").arg(db.lastError().text())};
    for (const SchemaMigration &step : steps) {
        if (step.toVersion <= from)
            continue;
        for (const QString &sql : step.statements) {
            QSqlQuery q(db);
            if (!q.exec(sql)) {
                const QString why = lastErrorOf(q);
                db.rollback();
                return Error{tr("upgrading the project to version %1 failed: %2.").arg(step.toVersion).arg(why),
                             QString(), tr("The file was left as it was.")};
            }
        }
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("PRAGMA user_version = %1").arg(step.toVersion))) {
            const QString why = lastErrorOf(q);
            db.rollback();
            return Error{tr("upgrading the project to version %1 failed: %2.").arg(step.toVersion).arg(why),
                         QString(), tr("The file was left as it was.")};
        }
    }
    if (!db.commit()) {
        const QString why = db.lastError().text();
        db.rollback();
        return Error{tr("the upgraded project could not be saved: %1.").arg(why), QString(),
                     tr("The file was left as it was.")};
    }
    return Status::success();
}
