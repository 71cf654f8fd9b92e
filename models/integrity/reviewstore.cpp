#include "integrity/reviewstore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

QString ReviewRecord::decisionKey(ReviewDecision d)
{
    return d == ReviewDecision::Approved ? u"approved"_s : u"rejected"_s;
}

QString ReviewRecord::decisionText() const
{
    return decision == ReviewDecision::Approved ? ReviewStore::tr("Approved")
                                                : ReviewStore::tr("Rejected");
}

namespace {
/// SQLite takes a null QString as NULL; the columns are NOT NULL.
QString text(const QString &s)
{
    return s.isNull() ? u""_s : s;
}
} // namespace

Status ReviewStore::add(ReviewRecord &review)
{
    QSqlQuery q(m_db);
    q.prepare(u"INSERT INTO integrity_reviews (stage, run_id, reviewer, reviewed_at, decision, "
              u"comment, figures) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(text(review.stage));
    q.addBindValue(review.runId);
    q.addBindValue(text(review.reviewer));
    q.addBindValue(review.reviewedAt.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(ReviewRecord::decisionKey(review.decision));
    q.addBindValue(text(review.comment));
    q.addBindValue(QString::fromUtf8(QJsonDocument(review.figures).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return Error(tr("The review could not be recorded: %1.").arg(q.lastError().text()));
    review.id = q.lastInsertId().toLongLong();
    return Status::success();
}

Status ReviewStore::remove(qint64 id)
{
    QSqlQuery q(m_db);
    q.prepare(u"DELETE FROM integrity_reviews WHERE id = ?"_s);
    q.addBindValue(id);
    if (!q.exec())
        return Error(tr("The review could not be removed: %1.").arg(q.lastError().text()));
    return Status::success();
}

Result<QList<ReviewRecord>> ReviewStore::reviews(const QString &stage) const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (stage.isEmpty()) {
        q.prepare(u"SELECT id, stage, run_id, reviewer, reviewed_at, decision, comment, figures "
                  "FROM integrity_reviews ORDER BY id"_s);
    } else {
        q.prepare(u"SELECT id, stage, run_id, reviewer, reviewed_at, decision, comment, figures "
                  "FROM integrity_reviews WHERE stage = ? ORDER BY id"_s);
        q.addBindValue(stage);
    }
    if (!q.exec())
        return Error(tr("The reviews could not be read: %1.").arg(q.lastError().text()));
    QList<ReviewRecord> out;
    while (q.next()) {
        ReviewRecord r;
        r.id = q.value(0).toLongLong();
        r.stage = q.value(1).toString();
        r.runId = q.value(2).toLongLong();
        r.reviewer = q.value(3).toString();
        r.reviewedAt = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
        r.decision = q.value(5).toString() == u"approved"_s ? ReviewDecision::Approved
                                                            : ReviewDecision::Rejected;
        r.comment = q.value(6).toString();
        r.figures = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object();
        out.append(std::move(r));
    }
    return out;
}

std::optional<ReviewRecord> ReviewStore::latest(const QString &stage) const
{
    Result<QList<ReviewRecord>> all = reviews(stage);
    if (!all || all->isEmpty())
        return std::nullopt;
    return all->constLast();
}
