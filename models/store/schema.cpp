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
