#include "assessment/assessmentrepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace {
Error sqlError(const QString &what, const QSqlError &e)
{
    return Error{QCoreApplication::translate("AssessmentRepository", "%1: %2.").arg(what, e.text()), QString(),
                 QCoreApplication::translate("AssessmentRepository",
                                             "Check that the disk is not full and the project file is writable.")};
}
} // namespace

Status AssessmentRepository::save(const QStringList &files, const Inventory &inventory, const QDateTime &when,
                                  const QList<Asset> &readAssets)
{
    const QString what = tr("the assessment could not be saved");
    if (!m_db.transaction())
        return sqlError(what, m_db.lastError());
    const auto fail = [&](const QSqlQuery &q) {
        const QSqlError e = q.lastError();
        m_db.rollback();
        return Status(sqlError(what, e));
    };
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("DELETE FROM assessment_findings")))
        return fail(q);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO assessment (id, assessed_at, files, inventory) VALUES (1, ?, ?, ?)"));
    q.addBindValue(when.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(files)).toJson(QJsonDocument::Compact)));
    q.addBindValue(QString::fromUtf8(QJsonDocument(inventory.toJson()).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return fail(q);
    QSqlQuery ins(m_db);
    ins.prepare(QStringLiteral("INSERT INTO assessment_findings (kind, address, source, line, detail) "
                             "VALUES (?, COALESCE(?, ''), COALESCE(?, ''), ?, COALESCE(?, ''))"));
    for (const Finding &f : inventory.findings) {
        ins.bindValue(0, Finding::kindKey(f.kind));
        ins.bindValue(1, f.address);
        ins.bindValue(2, f.source);
        ins.bindValue(3, f.line);
        ins.bindValue(4, f.detail);
        if (!ins.exec())
            return fail(ins);
    }
    // Assets read through an API: an asset of the same kind and name gets the new details and
    // keeps the user's plan and notes; the others are added after the kind's last.
    QSqlQuery update(m_db), add(m_db);
    update.prepare(QStringLiteral("UPDATE assets SET details = COALESCE(?, '') WHERE kind = ? AND name = ?"));
    add.prepare(QStringLiteral("INSERT INTO assets (kind, position, name, details) "
                               "SELECT ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM assets WHERE kind = ?), COALESCE(?, ''), COALESCE(?, '') "
                               "WHERE NOT EXISTS (SELECT 1 FROM assets WHERE kind = ? AND name = ?)"));
    for (const Asset &a : readAssets) {
        const QString kind = AssetKinds::key(a.kind);
        update.bindValue(0, a.details);
        update.bindValue(1, kind);
        update.bindValue(2, a.name);
        if (!update.exec())
            return fail(update);
        add.bindValue(0, kind);
        add.bindValue(1, kind);
        add.bindValue(2, a.name);
        add.bindValue(3, a.details);
        add.bindValue(4, kind);
        add.bindValue(5, a.name);
        if (!add.exec())
            return fail(add);
    }
    if (!m_db.commit()) {
        const QSqlError e = m_db.lastError();
        m_db.rollback();
        return sqlError(what, e);
    }
    return Status::success();
}

Status AssessmentRepository::clear()
{
    const QString what = tr("the assessment could not be removed");
    if (!m_db.transaction())
        return sqlError(what, m_db.lastError());
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("DELETE FROM assessment_findings")) || !q.exec(QStringLiteral("DELETE FROM assessment"))) {
        const QSqlError e = q.lastError();
        m_db.rollback();
        return sqlError(what, e);
    }
    if (!m_db.commit())
        return sqlError(what, m_db.lastError());
    return Status::success();
}

std::optional<StoredAssessment> AssessmentRepository::load() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT assessed_at, files, inventory FROM assessment WHERE id = 1")) || !q.next())
        return std::nullopt;
    StoredAssessment stored;
    stored.assessedAt = QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
    for (const QJsonValue &v : QJsonDocument::fromJson(q.value(1).toString().toUtf8()).array())
        stored.files.append(v.toString());
    stored.inventory = Inventory::fromJson(QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object());
    return stored;
}

qint64 AssessmentRepository::findingCount(Finding::Kind kind) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM assessment_findings WHERE kind = ?"));
    q.addBindValue(Finding::kindKey(kind));
    return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

QList<Asset> AssessmentRepository::assets(AssetKind kind) const
{
    QList<Asset> list;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, name, details, plan, notes FROM assets WHERE kind = ? ORDER BY position, id"));
    q.addBindValue(AssetKinds::key(kind));
    if (!q.exec())
        return list;
    while (q.next()) {
        list.append(Asset{q.value(0).toLongLong(), kind, q.value(1).toString(), q.value(2).toString(),
                          AssetPlans::fromKey(q.value(3).toString()).value_or(AssetPlan::Undecided),
                          q.value(4).toString()});
    }
    return list;
}

QMap<AssetKind, int> AssessmentRepository::assetCounts() const
{
    QMap<AssetKind, int> counts;
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT kind, COUNT(*) FROM assets WHERE name <> '' GROUP BY kind")))
        return counts;
    while (q.next()) {
        if (const auto kind = AssetKinds::fromKey(q.value(0).toString()))
            counts.insert(*kind, q.value(1).toInt());
    }
    return counts;
}

Result<qint64> AssessmentRepository::addAsset(AssetKind kind, const QString &name)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO assets (kind, position, name) "
                             "VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM assets WHERE kind = ?), COALESCE(?, ''))"));
    q.addBindValue(AssetKinds::key(kind));
    q.addBindValue(AssetKinds::key(kind));
    q.addBindValue(name);
    if (!q.exec())
        return sqlError(tr("the item could not be added"), q.lastError());
    return q.lastInsertId().toLongLong();
}

Status AssessmentRepository::updateAsset(const Asset &asset)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE assets SET name = COALESCE(?, ''), details = COALESCE(?, ''), plan = ?, notes = COALESCE(?, '') WHERE id = ?"));
    q.addBindValue(asset.name);
    q.addBindValue(asset.details);
    q.addBindValue(AssetPlans::key(asset.plan));
    q.addBindValue(asset.notes);
    q.addBindValue(asset.id);
    if (!q.exec())
        return sqlError(tr("the change could not be saved"), q.lastError());
    return Status::success();
}

Status AssessmentRepository::removeAsset(qint64 id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM assets WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(tr("the item could not be removed"), q.lastError());
    return Status::success();
}
