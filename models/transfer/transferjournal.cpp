#include "transfer/transferjournal.h"

#include "contacts/emailaddress.h"
#include "plan/timeline.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSet>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcTransferJournal, "stagecoach.transfer.journal", QtWarningMsg)

using namespace Qt::StringLiterals;

namespace {

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

// A write transaction taken with BEGIN IMMEDIATE, so that a busy file fails at the start rather
// than half-way; rolled back unless committed.
class WriteTransaction
{
public:
    explicit WriteTransaction(QSqlDatabase &db)
        : m_db(db)
    {
        QSqlQuery q(m_db);
        m_open = q.exec(u"BEGIN IMMEDIATE"_s);
        if (!m_open)
            m_error = q.lastError().text();
    }
    ~WriteTransaction()
    {
        if (m_open) {
            QSqlQuery q(m_db);
            q.exec(u"ROLLBACK"_s);
        }
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    bool isOpen() const { return m_open; }
    const QString &error() const { return m_error; }

    bool commit()
    {
        QSqlQuery q(m_db);
        if (q.exec(u"COMMIT"_s)) {
            m_open = false;
            return true;
        }
        m_error = q.lastError().text();
        return false; // the destructor rolls back
    }

private:
    QSqlDatabase &m_db;
    bool m_open = false;
    QString m_error;
};

// The JSON array of `texts`, as SQLite's json_each() reads it: '"', '\\' and the control
// characters escaped, everything else as it is (json_each() takes any other character raw).
QString jsonArrayOf(const QStringList &texts)
{
    qsizetype size = 2;
    for (const QString &t : texts)
        size += t.size() + 3;
    QString out;
    out.reserve(size);
    out += u'[';
    for (const QString &t : texts) {
        if (out.size() > 1)
            out += u',';
        out += u'"';
        for (const QChar c : t) {
            if (c == u'"' || c == u'\\') {
                out += u'\\';
                out += c;
            } else if (c.unicode() < 0x20) {
                out += u"\\u00"_s;
                out += QLatin1Char("0123456789abcdef"[c.unicode() >> 4]);
                out += QLatin1Char("0123456789abcdef"[c.unicode() & 0xf]);
            } else {
                out += c;
            }
        }
        out += u'"';
    }
    out += u']';
    return out;
}

} // namespace

TransferJournal::TransferJournal(QSqlDatabase db)
    : m_db(std::move(db))
    , m_addressHash([](const QString &email) { return qHash(email); })
{}

void TransferJournal::setAddressHash(std::function<size_t(const QString &)> hash)
{
    m_addressHash = std::move(hash);
    m_known = KnownAddresses{};
}

QString TransferJournal::stateKey(RunState state)
{
    switch (state) {
    case RunState::Running:
        return u"running"_s;
    case RunState::Paused:
        return u"paused"_s;
    case RunState::Finished:
        return u"finished"_s;
    case RunState::Failed:
        return u"failed"_s;
    case RunState::Cancelled:
        return u"cancelled"_s;
    }
    return {};
}

std::optional<RunState> TransferJournal::stateFromKey(QStringView key)
{
    for (RunState s : {RunState::Running, RunState::Paused, RunState::Finished, RunState::Failed,
                       RunState::Cancelled}) {
        if (key == stateKey(s))
            return s;
    }
    return std::nullopt;
}

QString TransferJournal::normalizedEmail(const QString &email)
{
    return QString::fromStdString(EmailAddress::normalized(email.toUtf8()));
}

Error TransferJournal::storeError(const QString &what, const QString &why) const
{
    qCWarning(lcTransferJournal) << what << why;
    return Error{
        tr("%1: %2.").arg(what, why), QString(),
        tr("Nothing of it was recorded. Check that the disk is not full and the project file "
           "is writable, then resume the stage.")};
}

Result<qint64> TransferJournal::beginRun(const QString &stage, int wave, bool dryRun)
{
    if (!StageKinds::fromKey(stage))
        return Error{tr("\"%1\" is not a stage of the plan.").arg(stage), QString(),
                     tr("Known stages: %1.").arg(StageKinds::keys().join(u", "_s))};
    if (wave < 0)
        return Error{tr("A wave number cannot be negative (%1).").arg(wave)};
    QSqlQuery q(m_db);
    q.prepare(
        u"INSERT INTO transfer_runs (stage, wave, dry_run, state, started_at) VALUES (?, ?, ?, 'running', ?)"_s);
    q.addBindValue(stage);
    q.addBindValue(wave);
    q.addBindValue(dryRun ? 1 : 0);
    q.addBindValue(now());
    if (!q.exec())
        return storeError(tr("The run could not be recorded"), q.lastError().text());
    return q.lastInsertId().toLongLong();
}

void TransferJournal::KnownAddresses::add(size_t hash, qint64 id)
{
    const auto it = first.constFind(hash);
    if (it == first.cend())
        first.insert(hash, id);
    else
        more.insert(hash, id);
}

QList<qint64> TransferJournal::KnownAddresses::idsOf(size_t hash) const
{
    QList<qint64> out;
    const auto it = first.constFind(hash);
    if (it == first.cend())
        return out;
    out.append(*it);
    for (auto [m, end] = more.equal_range(hash); m != end; ++m)
        out.append(*m);
    return out;
}

Status TransferJournal::knowRunAddresses(qint64 runId, const QString &what)
{
    // Read inside the caller's write transaction: no other connection writes meanwhile, so the
    // table's highest id says whether anyone planned records since this journal last looked.
    QSqlQuery last(m_db);
    if (!last.exec(u"SELECT COALESCE(MAX(id), 0) FROM transfer_records"_s) || !last.next())
        return storeError(what, last.lastError().text());
    const qint64 lastId = last.value(0).toLongLong();
    if (m_known.runId == runId && m_known.lastId == lastId)
        return Status::success();
    m_known = KnownAddresses{};
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT id, email FROM transfer_records WHERE run_id = ?"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    while (q.next())
        m_known.add(m_addressHash(q.value(1).toString()), q.value(0).toLongLong());
    m_known.runId = runId;
    m_known.lastId = lastId;
    return Status::success();
}

Result<PlannedBatch> TransferJournal::planBatch(qint64 runId, const QStringList &emails)
{
    const QString what = tr("The batch could not be recorded");
    WriteTransaction tx(m_db);
    if (!tx.isOpen())
        return storeError(what, tx.error());
    if (Status s = knowRunAddresses(runId, what); !s)
        return s.error();
    // Taken out while the batch is planned: trusted again only once it is committed (a failure
    // below leaves none, and the next batch reads them from the table).
    KnownAddresses before = std::exchange(m_known, KnownAddresses{});

    QSqlQuery q(m_db);
    q.prepare(u"SELECT COALESCE(MAX(b.seq), 0) + 1 FROM transfer_runs r LEFT JOIN transfer_batches "
              u"b ON b.run_id = r.id "
              "WHERE r.id = ? GROUP BY r.id"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    if (!q.next())
        return Error{tr("There is no run %1 in the journal.").arg(runId)};
    PlannedBatch out;
    out.seq = q.value(0).toInt();
    q.finish();

    QSqlQuery insertBatch(m_db);
    insertBatch.prepare(
        u"INSERT INTO transfer_batches (run_id, seq, state, started_at) VALUES (?, ?, 'planned', ?)"_s);
    insertBatch.addBindValue(runId);
    insertBatch.addBindValue(out.seq);
    insertBatch.addBindValue(now());
    if (!insertBatch.exec())
        return storeError(what, insertBatch.lastError().text());
    out.batchId = insertBatch.lastInsertId().toLongLong();

    QSqlQuery find(m_db);
    find.prepare(u"SELECT r.email, r.outcome, b.state FROM transfer_records r JOIN "
                 u"transfer_batches b ON b.id = r.batch_id WHERE r.id = ?"_s);
    QSqlQuery move(m_db);
    move.prepare(
        u"UPDATE transfer_records SET batch_id = ?, outcome = 'pending', code = '', message = '' "
        "WHERE id = ?"_s);

    // Each address is new to the run unless the run's addresses hold its hash; a hash found is
    // checked against the address its record holds (two addresses may share a hash).
    QSet<QString> inThisBatch;
    inThisBatch.reserve(emails.size());
    QStringList fresh;
    fresh.reserve(emails.size());
    for (const QString &raw : emails) {
        const QString email = normalizedEmail(raw);
        if (email.isEmpty()) {
            out.invalid.append(raw);
            continue;
        }
        if (inThisBatch.contains(email)) { // a second copy: pending in this planned batch
            out.alreadyPlanned.append(email);
            continue;
        }
        inThisBatch.insert(email);
        bool found = false;
        for (const qint64 id : before.idsOf(m_addressHash(email))) {
            find.bindValue(0, id);
            if (!find.exec() || !find.next())
                return storeError(what, find.lastError().text());
            if (find.value(0).toString() != email) {
                find.finish();
                continue;
            }
            found = true;
            const QString outcome = find.value(1).toString();
            const QString batchState = find.value(2).toString();
            find.finish();
            if (outcome == u"written") {
                out.alreadyWritten.append(email);
            } else if (outcome == u"pending" && batchState == u"planned") {
                out.alreadyPlanned.append(email);
            } else {
                move.bindValue(0, out.batchId);
                move.bindValue(1, id);
                if (!move.exec())
                    return storeError(what, move.lastError().text());
                out.planned.append(email);
            }
            break;
        }
        if (!found) {
            fresh.append(email);
            out.planned.append(email);
        }
    }

    if (out.planned.isEmpty()) {
        // Nothing to send: no batch (the transaction is rolled back; the addresses known stay).
        m_known = std::move(before);
        out.batchId = 0;
        out.seq = 0;
        return out;
    }
    // The new records in one statement, their addresses as one JSON array, in address order
    // (each lands beside the last in the index of open records); their ids come back.
    fresh.sort();
    QSqlQuery insertAll(m_db);
    insertAll.setForwardOnly(true);
    insertAll.prepare(u"INSERT INTO transfer_records (run_id, email, batch_id, outcome) "
                      u"SELECT ?, value, ?, 'pending' FROM json_each(?) RETURNING id, email"_s);
    insertAll.addBindValue(runId);
    insertAll.addBindValue(out.batchId);
    insertAll.addBindValue(jsonArrayOf(fresh));
    if (!insertAll.exec())
        return storeError(what, insertAll.lastError().text());
    KnownAddresses after = std::move(before);
    qint64 inserted = 0;
    while (insertAll.next()) {
        const qint64 id = insertAll.value(0).toLongLong();
        after.add(m_addressHash(insertAll.value(1).toString()), id);
        after.lastId = std::max(after.lastId, id);
        ++inserted;
    }
    if (insertAll.lastError().isValid())
        return storeError(what, insertAll.lastError().text());
    insertAll.finish();
    if (inserted != fresh.size())
        return storeError(what, tr("%1 of %2 new records were written").arg(inserted).arg(fresh.size()));

    QSqlQuery size(m_db);
    size.prepare(u"UPDATE transfer_batches SET contacts = ? WHERE id = ?"_s);
    size.addBindValue(out.planned.size());
    size.addBindValue(out.batchId);
    if (!size.exec())
        return storeError(what, size.lastError().text());
    if (!tx.commit())
        return storeError(what, tx.error());
    m_known = std::move(after);
    return out;
}

Status TransferJournal::completeBatch(qint64 batchId, const BatchResult &result)
{
    return closeBatch(batchId, &result, nullptr);
}

Status TransferJournal::failBatch(qint64 batchId, const Error &error)
{
    return closeBatch(batchId, nullptr, &error);
}

Status TransferJournal::closeBatch(qint64 batchId, const BatchResult *result, const Error *error)
{
    const QString what = tr("The outcome of batch %1 could not be recorded").arg(batchId);
    WriteTransaction tx(m_db);
    if (!tx.isOpen())
        return storeError(what, tx.error());

    QSqlQuery q(m_db);
    q.prepare(u"SELECT run_id, state, seq FROM transfer_batches WHERE id = ?"_s);
    q.addBindValue(batchId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    if (!q.next())
        return Error{tr("There is no batch %1 in the journal.").arg(batchId)};
    const qint64 runId = q.value(0).toLongLong();
    const int seq = q.value(2).toInt();
    if (q.value(1).toString() != u"planned")
        return Error{tr("Batch %1 was already completed.").arg(seq), QString(),
                     tr("Its outcome stays as it was recorded.")};
    q.finish();

    qint64 failed = 0;
    if (result) {
        QSqlQuery fail(m_db);
        fail.prepare(u"UPDATE transfer_records SET outcome = 'failed', code = COALESCE(?, ''), "
                     u"message = COALESCE(?, '') "
                     "WHERE run_id = ? AND outcome = 'pending' AND outcome <> 'written' "
                     "AND batch_id = ? AND email = ?"_s);
        for (const WriteFailure &f : result->failed) {
            fail.bindValue(0, f.code);
            fail.bindValue(1, f.message);
            fail.bindValue(2, runId);
            fail.bindValue(3, batchId);
            fail.bindValue(4, normalizedEmail(f.email));
            if (!fail.exec())
                return storeError(what, fail.lastError().text());
            if (fail.numRowsAffected() != 1)
                return Error{
                    tr("The platform reported a contact that is not pending in batch %1.").arg(seq),
                    f.email, tr("Nothing of the batch was recorded; it will be sent again.")};
            ++failed;
        }
    }
    // The batch's records still pending, found in the index of open records (schema.cpp, 6).
    QSqlQuery rest(m_db);
    if (result) {
        rest.prepare(u"UPDATE transfer_records SET outcome = 'written', code = '', message = '' "
                     "WHERE run_id = ? AND outcome = 'pending' AND outcome <> 'written' "
                     "AND batch_id = ?"_s);
    } else {
        rest.prepare(
            u"UPDATE transfer_records SET outcome = 'failed', code = ?, message = COALESCE(?, '') "
            "WHERE run_id = ? AND outcome = 'pending' AND outcome <> 'written' AND batch_id = ?"_s);
        rest.addBindValue(error->code.isEmpty() ? u"batch_failed"_s : error->code);
        rest.addBindValue(error->message);
    }
    rest.addBindValue(runId);
    rest.addBindValue(batchId);
    if (!rest.exec())
        return storeError(what, rest.lastError().text());
    const qint64 written = result ? rest.numRowsAffected() : 0;
    if (!result)
        failed = rest.numRowsAffected();
    if (result && written != result->written)
        qCWarning(lcTransferJournal)
            << "batch" << batchId << "reported" << result->written << "written;" << written
            << "contacts of it were not named as failed";

    QSqlQuery close(m_db);
    close.prepare(u"UPDATE transfer_batches SET state = ?, written = ?, failed = ?, finished_at = "
                  u"?, job_id = COALESCE(?, '') "
                  "WHERE id = ?"_s);
    close.addBindValue(result ? u"done"_s : u"failed"_s);
    close.addBindValue(written);
    close.addBindValue(failed);
    close.addBindValue(now());
    close.addBindValue(result ? result->jobId : QString());
    close.addBindValue(batchId);
    if (!close.exec())
        return storeError(what, close.lastError().text());
    if (!tx.commit())
        return storeError(what, tx.error());
    return Status::success();
}

Status TransferJournal::finishRun(qint64 runId, RunState state, const QJsonObject &counts)
{
    QSqlQuery q(m_db);
    q.prepare(u"UPDATE transfer_runs SET state = ?, finished_at = ?, counts = ? WHERE id = ?"_s);
    q.addBindValue(stateKey(state));
    const bool ended = state != RunState::Running && state != RunState::Paused;
    q.addBindValue(ended ? now() : u""_s); // not NULL: the column is NOT NULL
    q.addBindValue(QString::fromUtf8(QJsonDocument(counts).toJson(QJsonDocument::Compact)));
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(tr("The end of the run could not be recorded"), q.lastError().text());
    if (q.numRowsAffected() != 1)
        return Error{tr("There is no run %1 in the journal.").arg(runId)};
    return Status::success();
}

Status TransferJournal::approve(qint64 runId, const QString &who, const QString &comment)
{
    QSqlQuery q(m_db);
    q.prepare(
        u"UPDATE transfer_runs SET approved_by = COALESCE(?, ''), approved_at = ?, comment = COALESCE(?, '') WHERE id = ?"_s);
    q.addBindValue(who);
    q.addBindValue(now());
    q.addBindValue(comment);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(tr("The approval could not be recorded"), q.lastError().text());
    if (q.numRowsAffected() != 1)
        return Error{tr("There is no run %1 in the journal.").arg(runId)};
    return Status::success();
}

Result<QStringList> TransferJournal::retryFailed(qint64 runId)
{
    const QString what = tr("The failed records could not be released for a retry");
    WriteTransaction tx(m_db);
    if (!tx.isOpen())
        return storeError(what, tx.error());
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        u"SELECT email FROM transfer_records WHERE run_id = ? AND outcome = 'failed' "
        "AND outcome <> 'written' ORDER BY batch_id, email"_s);
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(what, q.lastError().text());
    QStringList emails;
    while (q.next())
        emails.append(q.value(0).toString());
    q.finish();
    QSqlQuery release(m_db);
    release.prepare(u"UPDATE transfer_records SET outcome = 'pending', code = '', message = '' "
                    "WHERE run_id = ? AND outcome = 'failed' AND outcome <> 'written'"_s);
    release.addBindValue(runId);
    if (!release.exec())
        return storeError(what, release.lastError().text());
    if (!tx.commit())
        return storeError(what, tx.error());
    return emails;
}
