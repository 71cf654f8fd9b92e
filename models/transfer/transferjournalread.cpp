// The reading side of the journal: resume points, runs, counts and failures.
#include "transfer/transferjournal.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {
QDateTime timeFrom(const QVariant &v)
{
    const QString text = v.toString();
    if (text.isEmpty())
        return {};
    // Written with a "Z", so read back as UTC.
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

} // namespace

Result<QList<PendingBatch>> TransferJournal::pendingBatches(qint64 runId)
{
    const QString what = tr("The journal could not be read");
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT id, seq FROM transfer_batches WHERE run_id = ? AND state = 'planned' ORDER BY seq"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    QList<PendingBatch> out;
    while (q.next())
        out.append(PendingBatch{q.value(0).toLongLong(), q.value(1).toInt(), {}});
    QSqlQuery e(m_db);
    e.setForwardOnly(true);
    // "outcome <> 'written'" lets SQLite read the index of open records (schema.cpp, 6).
    e.prepare(u"SELECT email FROM transfer_records WHERE run_id = ? AND outcome = 'pending' "
              "AND outcome <> 'written' AND batch_id = ? ORDER BY email"_s);
    for (PendingBatch &b : out) {
        e.bindValue(0, runId);
        e.bindValue(1, b.batchId);
        if (!e.exec())
            return storeError(what, e.lastError().text());
        while (e.next())
            b.emails.append(e.value(0).toString());
    }
    return out;
}

Result<ResumePoint> TransferJournal::resumePoint(qint64 runId)
{
    const QString what = tr("The journal could not be read");
    ResumePoint point;
    point.runId = runId;
    auto pending = pendingBatches(runId);
    if (!pending)
        return pending.error();
    point.pending = std::move(pending.value());
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT r.email FROM transfer_records r JOIN transfer_batches b ON b.id = r.batch_id "
        "WHERE r.run_id = ? AND r.outcome = 'pending' AND r.outcome <> 'written' "
        "AND b.state <> 'planned' ORDER BY r.email"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    while (q.next())
        point.awaitingBatch.append(q.value(0).toString());
    q.prepare(u"SELECT COALESCE(MAX(seq), 0) FROM transfer_batches WHERE run_id = ?"_s);
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return storeError(what, q.lastError().text());
    point.lastSeq = q.value(0).toInt();
    const auto written = writtenCount(runId);
    const auto failed = failedCount(runId);
    if (!written)
        return written.error();
    if (!failed)
        return failed.error();
    point.written = written.value();
    point.failed = failed.value();
    return point;
}

namespace {
constexpr auto kRunColumns
    = "SELECT id, stage, wave, dry_run, state, started_at, finished_at, counts, approved_by, "
      "approved_at, comment FROM transfer_runs ";

TransferRun runFrom(const QSqlQuery &q)
{
    TransferRun r;
    r.id = q.value(0).toLongLong();
    r.stage = q.value(1).toString();
    r.wave = q.value(2).toInt();
    r.dryRun = q.value(3).toInt() != 0;
    r.state = TransferJournal::stateFromKey(q.value(4).toString()).value_or(RunState::Failed);
    r.startedAt = timeFrom(q.value(5));
    r.finishedAt = timeFrom(q.value(6));
    r.counts = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).object();
    r.approvedBy = q.value(8).toString();
    r.approvedAt = timeFrom(q.value(9));
    r.comment = q.value(10).toString();
    return r;
}
} // namespace

Result<TransferRun> TransferJournal::run(qint64 runId)
{
    QSqlQuery q(m_db);
    q.prepare(QString::fromLatin1(kRunColumns) + u"WHERE id = ?"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    if (!q.next())
        return Error{tr("There is no run %1 in the journal.").arg(runId)};
    return runFrom(q);
}

Result<QList<TransferRun>> TransferJournal::unfinishedRuns()
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QString::fromLatin1(kRunColumns)
              + u"WHERE state IN ('running', 'paused') ORDER BY id"_s);
    if (!q.exec())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    QList<TransferRun> out;
    while (q.next())
        out.append(runFrom(q));
    return out;
}

Result<QList<TransferRun>> TransferJournal::runs(const QString &stage)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (stage.isEmpty()) {
        q.prepare(QString::fromLatin1(kRunColumns) + u"ORDER BY id"_s);
    } else {
        q.prepare(QString::fromLatin1(kRunColumns) + u"WHERE stage = ? ORDER BY id"_s);
        q.addBindValue(stage);
    }
    if (!q.exec())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    QList<TransferRun> out;
    while (q.next())
        out.append(runFrom(q));
    return out;
}

Result<qint64> TransferJournal::writtenCount(qint64 runId)
{
    // Written records are not in the index of open records (schema.cpp, 6); each was counted
    // by the batch that wrote it, and a written record never changes again.
    QSqlQuery q(m_db);
    q.prepare(u"SELECT COALESCE(SUM(written), 0) FROM transfer_batches WHERE run_id = ?"_s);
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    return q.value(0).toLongLong();
}

Result<qint64> TransferJournal::failedCount(qint64 runId)
{
    // A batch's failed count is not kept up to date by retryFailed(): count the records.
    QSqlQuery q(m_db);
    q.prepare(u"SELECT COUNT(*) FROM transfer_records WHERE run_id = ? AND outcome = 'failed' "
              "AND outcome <> 'written'"_s);
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    return q.value(0).toLongLong();
}

Result<QList<RecordFailure>> TransferJournal::failures(qint64 runId, qint64 offset, int limit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT r.email, r.code, r.message, b.seq, b.finished_at FROM transfer_records r "
        "JOIN transfer_batches b ON b.id = r.batch_id WHERE r.run_id = ? AND r.outcome = 'failed' "
        "AND r.outcome <> 'written' ORDER BY r.batch_id, r.email LIMIT ? OFFSET ?"_s);
    q.addBindValue(runId);
    q.addBindValue(limit);
    q.addBindValue(offset);
    if (!q.exec())
        return storeError(tr("The journal could not be read"), q.lastError().text());
    QList<RecordFailure> out;
    while (q.next())
        out.append(RecordFailure{q.value(0).toString(), q.value(1).toString(),
                                 q.value(2).toString(), q.value(3).toInt(), timeFrom(q.value(4))});
    return out;
}
