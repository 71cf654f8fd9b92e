#include "plan/planrepository.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <functional>

namespace {

Error sqlError(const QString &what, const QSqlError &e)
{
    return Error{QCoreApplication::translate("PlanRepository", "%1: %2.").arg(what, e.text()), QString(),
                 QCoreApplication::translate("PlanRepository",
                                             "Check that the disk is not full and the project file is writable.")};
}

// Columns are NOT NULL: a null QString binds as NULL, so bind an empty one instead.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

QVariant date(const QDate &d)
{
    return d.isValid() ? QVariant(d.toString(Qt::ISODate)) : QVariant(QStringLiteral(""));
}

QDate toDate(const QVariant &v)
{
    return QDate::fromString(v.toString(), Qt::ISODate);
}

/// Runs the statements in one transaction; any failure rolls back and says what could not be done.
Status inTransaction(QSqlDatabase &db, const QString &what, const std::function<bool(QSqlQuery &)> &work)
{
    if (!db.transaction())
        return sqlError(what, db.lastError());
    QSqlQuery q(db);
    if (!work(q)) {
        const QSqlError e = q.lastError();
        db.rollback();
        return sqlError(what, e);
    }
    if (!db.commit()) {
        const QSqlError e = db.lastError();
        db.rollback();
        return sqlError(what, e);
    }
    return Status::success();
}

bool exec(QSqlQuery &q, const QString &sql, const QVariantList &values = {})
{
    if (!q.prepare(sql))
        return false;
    for (int i = 0; i < values.size(); ++i)
        q.bindValue(i, values[i]);
    return q.exec();
}

Result<qint64> insert(QSqlDatabase &db, const QString &what, const QString &sql, const QVariantList &values)
{
    qint64 id = 0;
    const Status s = inTransaction(db, what, [&](QSqlQuery &q) {
        if (!exec(q, sql, values))
            return false;
        id = q.lastInsertId().toLongLong();
        return true;
    });
    if (!s)
        return s.error();
    return id;
}

Status single(QSqlDatabase &db, const QString &what, const QString &sql, const QVariantList &values)
{
    return inTransaction(db, what, [&](QSqlQuery &q) { return exec(q, sql, values); });
}

/// An UPDATE of one record by id: a record that is no longer there is an error, not a silent no-op.
Status updateOne(QSqlDatabase &db, const QString &what, const QString &sql, const QVariantList &values)
{
    int changed = 0;
    const Status s = inTransaction(db, what, [&](QSqlQuery &q) {
        if (!exec(q, sql, values))
            return false;
        changed = q.numRowsAffected();
        return true;
    });
    if (!s)
        return s;
    if (changed != 1)
        return Error{QCoreApplication::translate("PlanRepository", "%1: it is no longer in the project file.").arg(what), QString(),
                     QCoreApplication::translate("PlanRepository", "Close and reopen the project to see what it holds.")};
    return Status::success();
}

QVariantList objectiveValues(const Objective &o)
{
    return {text(o.goal), text(o.title), text(o.kpi), Objective::comparisonKey(o.comparison), o.threshold,
            text(o.unit), text(o.scope), text(o.notes)};
}

QVariantList stageValues(const Stage &s)
{
    return {text(s.key), StageKinds::key(s.kind), text(s.title), s.durationDays, s.milestone ? 1 : 0,
            date(s.earliestStart), text(s.dependsOn.join(u',')), text(s.owner), text(s.entryCriteria),
            text(s.exitCriteria), s.contacts, text(s.notes)};
}

QVariantList itemValues(const ChecklistItem &i)
{
    return {text(i.stageKey), text(i.title), text(i.owner), date(i.due), ChecklistItem::statusKey(i.status),
            i.milestone ? 1 : 0, i.offsetDays, text(i.notes)};
}

const QString kInsertStage = QStringLiteral(
    "INSERT INTO stages (position, key, kind, title, duration_days, milestone, earliest_start, depends_on, owner,"
    " entry_criteria, exit_criteria, contacts, notes)"
    " VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM stages), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
const QString kInsertItem = QStringLiteral(
    "INSERT INTO checklist (position, stage_key, title, owner, due, status, milestone, offset_days, notes)"
    " VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM checklist), ?, ?, ?, ?, ?, ?, ?, ?)");

} // namespace

QList<Objective> PlanRepository::objectives() const
{
    QList<Objective> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, goal, title, kpi, comparison, threshold, unit, scope, notes"
                               " FROM objectives ORDER BY position, id")))
        return out;
    while (q.next()) {
        Objective o;
        o.id = q.value(0).toLongLong();
        o.goal = q.value(1).toString();
        o.title = q.value(2).toString();
        o.kpi = q.value(3).toString();
        o.comparison = Objective::comparisonFromKey(q.value(4).toString());
        o.threshold = q.value(5).toDouble();
        o.unit = q.value(6).toString();
        o.scope = q.value(7).toString();
        o.notes = q.value(8).toString();
        out.append(o);
    }
    return out;
}

Result<qint64> PlanRepository::addObjective(const Objective &objective)
{
    return insert(m_db, tr("the objective could not be added"),
                  QStringLiteral("INSERT INTO objectives (position, goal, title, kpi, comparison, threshold, unit, scope, notes)"
                                 " VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM objectives), ?, ?, ?, ?, ?, ?, ?, ?)"),
                  objectiveValues(objective));
}

Status PlanRepository::updateObjective(const Objective &objective)
{
    return updateOne(m_db, tr("the objective could not be saved"),
                  QStringLiteral("UPDATE objectives SET goal = ?, title = ?, kpi = ?, comparison = ?, threshold = ?,"
                                 " unit = ?, scope = ?, notes = ? WHERE id = ?"),
                  objectiveValues(objective) << objective.id);
}

Status PlanRepository::removeObjective(qint64 id)
{
    return single(m_db, tr("the objective could not be removed"), QStringLiteral("DELETE FROM objectives WHERE id = ?"), {id});
}

QList<Person> PlanRepository::people() const
{
    QList<Person> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, name, role, email FROM people ORDER BY position, id")))
        return out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()});
    return out;
}

Result<qint64> PlanRepository::addPerson(const Person &person)
{
    return insert(m_db, tr("the person could not be added"),
                  QStringLiteral("INSERT INTO people (position, name, role, email)"
                                 " VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM people), ?, ?, ?)"),
                  {text(person.name), text(person.role), text(person.email)});
}

Status PlanRepository::updatePerson(const Person &person)
{
    return updateOne(m_db, tr("the person could not be saved"),
                  QStringLiteral("UPDATE people SET name = ?, role = ?, email = ? WHERE id = ?"),
                  {text(person.name), text(person.role), text(person.email), person.id});
}

Status PlanRepository::removePerson(qint64 id)
{
    return single(m_db, tr("the person could not be removed"), QStringLiteral("DELETE FROM people WHERE id = ?"), {id});
}

QMap<QString, int> PlanRepository::weights() const
{
    QMap<QString, int> out;
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT key, weight FROM criterion_weights"))) {
        while (q.next())
            out.insert(q.value(0).toString(), q.value(1).toInt());
    }
    return out;
}

Status PlanRepository::setWeight(const QString &key, int weight)
{
    return single(m_db, tr("the weight could not be saved"),
                  QStringLiteral("INSERT OR REPLACE INTO criterion_weights (key, weight) VALUES (?, ?)"), {key, weight});
}

Status PlanRepository::clearWeights()
{
    return single(m_db, tr("the weights could not be reset"), QStringLiteral("DELETE FROM criterion_weights"), {});
}

QList<Stage> PlanRepository::stages() const
{
    QList<Stage> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, key, kind, title, duration_days, milestone, earliest_start, depends_on, owner,"
                               " entry_criteria, exit_criteria, contacts, notes FROM stages ORDER BY position, id")))
        return out;
    while (q.next()) {
        Stage s;
        s.id = q.value(0).toLongLong();
        s.key = q.value(1).toString();
        s.kind = StageKinds::fromKey(q.value(2).toString()).value_or(StageKind::Testing);
        s.title = q.value(3).toString();
        s.durationDays = q.value(4).toInt();
        s.milestone = q.value(5).toInt() != 0;
        s.earliestStart = toDate(q.value(6));
        const QString deps = q.value(7).toString();
        s.dependsOn = deps.isEmpty() ? QStringList() : deps.split(u',');
        s.owner = q.value(8).toString();
        s.entryCriteria = q.value(9).toString();
        s.exitCriteria = q.value(10).toString();
        s.contacts = q.value(11).toLongLong();
        s.notes = q.value(12).toString();
        out.append(s);
    }
    return out;
}

Status PlanRepository::updateStage(const Stage &stage)
{
    return updateOne(m_db, tr("the stage could not be saved"),
                  QStringLiteral("UPDATE stages SET key = ?, kind = ?, title = ?, duration_days = ?, milestone = ?,"
                                 " earliest_start = ?, depends_on = ?, owner = ?, entry_criteria = ?, exit_criteria = ?,"
                                 " contacts = ?, notes = ? WHERE id = ?"),
                  stageValues(stage) << stage.id);
}

Result<qint64> PlanRepository::addStage(const Stage &stage)
{
    return insert(m_db, tr("the stage could not be added"), kInsertStage, stageValues(stage));
}

Status PlanRepository::removeStage(const QString &key)
{
    const QList<Stage> all = stages();
    return inTransaction(m_db, tr("the stage could not be removed"), [&](QSqlQuery &q) {
        if (!exec(q, QStringLiteral("DELETE FROM stages WHERE key = ?"), {key})
            || !exec(q, QStringLiteral("DELETE FROM checklist WHERE stage_key = ?"), {key}))
            return false;
        for (const Stage &s : all) {
            if (s.key == key || !s.dependsOn.contains(key))
                continue;
            QStringList deps = s.dependsOn;
            deps.removeAll(key);
            if (!exec(q, QStringLiteral("UPDATE stages SET depends_on = ? WHERE id = ?"), {text(deps.join(u',')), s.id}))
                return false;
        }
        return true;
    });
}

QList<ChecklistItem> PlanRepository::checklist() const
{
    QList<ChecklistItem> out;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, stage_key, title, owner, due, status, milestone, notes, offset_days"
                               " FROM checklist ORDER BY position, id")))
        return out;
    while (q.next()) {
        ChecklistItem i;
        i.id = q.value(0).toLongLong();
        i.stageKey = q.value(1).toString();
        i.title = q.value(2).toString();
        i.owner = q.value(3).toString();
        i.due = toDate(q.value(4));
        i.status = ChecklistItem::statusFromKey(q.value(5).toString());
        i.milestone = q.value(6).toInt() != 0;
        i.notes = q.value(7).toString();
        i.offsetDays = q.value(8).toInt();
        out.append(i);
    }
    return out;
}

Result<qint64> PlanRepository::addChecklistItem(const ChecklistItem &item)
{
    return insert(m_db, tr("the task could not be added"), kInsertItem, itemValues(item));
}

Status PlanRepository::updateChecklistItem(const ChecklistItem &item)
{
    return updateOne(m_db, tr("the task could not be saved"),
                  QStringLiteral("UPDATE checklist SET stage_key = ?, title = ?, owner = ?, due = ?, status = ?,"
                                 " milestone = ?, offset_days = ?, notes = ? WHERE id = ?"),
                  itemValues(item) << item.id);
}

Status PlanRepository::removeChecklistItem(qint64 id)
{
    return single(m_db, tr("the task could not be removed"), QStringLiteral("DELETE FROM checklist WHERE id = ?"), {id});
}

Status PlanRepository::replacePlan(const QList<Stage> &stages, const QList<ChecklistItem> &checklist,
                                   const QList<QPair<QString, QVariant>> &settings)
{
    return inTransaction(m_db, tr("the timeline could not be saved"), [&](QSqlQuery &q) {
        if (!exec(q, QStringLiteral("DELETE FROM checklist")) || !exec(q, QStringLiteral("DELETE FROM stages")))
            return false;
        for (const auto &[key, value] : settings) {
            if (!exec(q, QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?)"
                                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                      {key, value}))
                return false;
        }
        for (const Stage &s : stages) {
            if (!exec(q, kInsertStage, stageValues(s)))
                return false;
        }
        for (const ChecklistItem &i : checklist) {
            if (!exec(q, kInsertItem, itemValues(i)))
                return false;
        }
        return true;
    });
}

Status PlanRepository::replaceChecklist(const QList<ChecklistItem> &checklist)
{
    return inTransaction(m_db, tr("the checklist could not be saved"), [&](QSqlQuery &q) {
        if (!exec(q, QStringLiteral("DELETE FROM checklist")))
            return false;
        for (const ChecklistItem &i : checklist) {
            if (!exec(q, kInsertItem, itemValues(i)))
                return false;
        }
        return true;
    });
}
