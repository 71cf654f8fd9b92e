#include "csv/csvreader.h"
#include "store/projectstore.h"
#include "store/schema.h"
#include "transfer/errorreport.h"
#include "transfer/errorreportmodel.h"
#include "transfer/transferjournal.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

using namespace Qt::StringLiterals;

namespace {

QStringList emails(int from, int count)
{
    QStringList out;
    for (int i = from; i < from + count; ++i)
        out.append(u"user%1@example.com"_s.arg(i, 6, 10, QLatin1Char('0')));
    return out;
}

BatchResult resultFor(const QStringList &batch, const QList<WriteFailure> &failed)
{
    BatchResult r;
    r.failed = failed;
    r.written = batch.size() - failed.size();
    r.jobId = u"job-1"_s;
    return r;
}

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// Every record's (email, outcome, batch seq), to compare the journal before and after.
QStringList snapshot(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.exec(u"SELECT r.email, r.outcome, r.code, b.seq, b.state, b.written, b.failed FROM "
           u"transfer_records r "
           "JOIN transfer_batches b ON b.id = r.batch_id ORDER BY r.run_id, r.email"_s);
    QStringList out;
    while (q.next()) {
        QStringList cells;
        for (int i = 0; i < 7; ++i)
            cells.append(q.value(i).toString());
        out.append(cells.join(u'|'));
    }
    return out;
}

} // namespace

class tst_TransferJournal : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    std::unique_ptr<ProjectStore> newProject()
    {
        const QString file = m_dir.filePath(u"p%1.stagecoach"_s.arg(++m_files));
        auto store = ProjectStore::create(file, u"Journal"_s);
        if (!store.ok())
            qWarning() << store.error().toString();
        return store.ok() ? std::move(store.value()) : nullptr;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripOfARunWithSeveralBatches()
    {
        auto store = newProject();
        QVERIFY(store);
        // The worker's own connection, as a stage uses it.
        ThreadConnection connection(store->path());
        QVERIFY(connection.isOpen());
        TransferJournal journal(connection.database());

        auto run = journal.beginRun(u"wave"_s, 2, false);
        QVERIFY(run.ok());
        const qint64 runId = run.value();

        // Emails are stored as EmailAddress normalises them.
        auto first = journal.planBatch(
            runId, {u"  Ann@Example.COM "_s, u"bob@example.com"_s, u"cy@example.com"_s});
        QVERIFY(first.ok());
        QCOMPARE(first->seq, 1);
        QCOMPARE(first->planned,
                 (QStringList{u"ann@example.com"_s, u"bob@example.com"_s, u"cy@example.com"_s}));
        QVERIFY(first->alreadyWritten.isEmpty());
        QVERIFY(journal
                    .completeBatch(
                        first->batchId,
                        resultFor(first->planned, {{u"BOB@example.com"_s, u"invalid_parameter"_s,
                                                    u"Email is not valid"_s}}))
                    .ok());

        auto second = journal.planBatch(runId, emails(1, 4));
        QVERIFY(second.ok());
        QCOMPARE(second->seq, 2);
        QCOMPARE(second->planned, emails(1, 4));
        QVERIFY(journal.completeBatch(second->batchId, resultFor(second->planned, {})).ok());

        auto third = journal.planBatch(runId, emails(5, 2));
        QVERIFY(third.ok());
        QCOMPARE(third->seq, 3);
        QVERIFY(journal
                    .completeBatch(third->batchId,
                                   resultFor(third->planned, {{emails(6, 1).constFirst(),
                                                               u"duplicate"_s, u"Twice"_s}}))
                    .ok());

        QCOMPARE(journal.writtenCount(runId).value(), 2 + 4 + 1);
        QCOMPARE(journal.failedCount(runId).value(), 2);
        auto failures = journal.failures(runId, 0, 10);
        QVERIFY(failures.ok());
        QCOMPARE(failures->size(), 2);
        QCOMPARE(failures->at(0).email, u"bob@example.com"_s);
        QCOMPARE(failures->at(0).code, u"invalid_parameter"_s);
        QCOMPARE(failures->at(0).message, u"Email is not valid"_s);
        QCOMPARE(failures->at(0).batchSeq, 1);
        QVERIFY(failures->at(0).time.isValid());
        QCOMPARE(failures->at(1).email, emails(6, 1).constFirst());
        QCOMPARE(failures->at(1).batchSeq, 3);

        // Batches hold their counts and the platform's job id.
        QSqlDatabase db = connection.database();
        QCOMPARE(scalar(db, u"SELECT written * 100 + failed FROM transfer_batches WHERE seq = 1"_s),
                 201);
        QCOMPARE(
            scalar(
                db,
                u"SELECT COUNT(*) FROM transfer_batches WHERE state = 'done' AND job_id = 'job-1'"_s),
            3);
        QCOMPARE(scalar(db, u"SELECT contacts FROM transfer_batches WHERE seq = 2"_s), 4);
        QCOMPARE(journal.pendingBatches(runId).value().size(), 0);

        QJsonObject counts{{u"written"_s, 7}, {u"failed"_s, 2}};
        QVERIFY(journal.finishRun(runId, RunState::Finished, counts).ok());
        QVERIFY(journal.approve(runId, u"Dana Lee"_s, u"Counts match, go on"_s).ok());
        QVERIFY(!journal.approve(runId + 99, u"x"_s, {}).ok());

        auto other = journal.beginRun(u"suppressions"_s, 0, true);
        QVERIFY(other.ok());
        QVERIFY(!journal.beginRun(u"wave-1"_s, 1, false).ok()); // a plan stage's key, not a kind
        QVERIFY(!journal.beginRun(u"wave"_s, -1, false).ok());

        // Read back from the GUI thread's connection.
        TransferJournal reader(store->database());
        auto waves = reader.runs(u"wave"_s);
        QVERIFY(waves.ok());
        QCOMPARE(waves->size(), 1);
        const TransferRun &r = waves->constFirst();
        QCOMPARE(r.id, runId);
        QCOMPARE(r.stage, u"wave"_s);
        QCOMPARE(r.wave, 2);
        QCOMPARE(r.dryRun, false);
        QCOMPARE(r.state, RunState::Finished);
        QVERIFY(r.startedAt.isValid());
        QVERIFY(r.finishedAt.isValid());
        QVERIFY(r.startedAt <= r.finishedAt);
        QCOMPARE(r.counts, counts);
        QCOMPARE(r.approvedBy, u"Dana Lee"_s);
        QVERIFY(r.approvedAt.isValid());
        QCOMPARE(r.comment, u"Counts match, go on"_s);

        auto all = reader.runs();
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(1).stage, u"suppressions"_s);
        QCOMPARE(all->at(1).dryRun, true);
        QCOMPARE(all->at(1).state, RunState::Running);
        QVERIFY(!all->at(1).finishedAt.isValid());
        QVERIFY(!all->at(1).approvedAt.isValid());
    }

    void interruptedBatchResumesWithExactlyItsEmails()
    {
        QString file;
        qint64 runId = 0;
        qint64 interrupted = 0;
        {
            auto store = newProject();
            QVERIFY(store);
            file = store->path();
            TransferJournal journal(store->database());
            runId = journal.beginRun(u"wave"_s, 1, false).value();
            auto first = journal.planBatch(runId, emails(0, 3));
            QVERIFY(journal.completeBatch(first->batchId, resultFor(first->planned, {})).ok());
            auto second = journal.planBatch(runId, emails(3, 3));
            QVERIFY(second.ok());
            interrupted = second->batchId;
            // Killed here: the batch was sent (or not), its outcome never journaled.
        }
        auto store = ProjectStore::open(file);
        QVERIFY(store.ok());
        TransferJournal journal(store.value()->database());
        auto unfinished = journal.unfinishedRuns();
        QVERIFY(unfinished.ok());
        QCOMPARE(unfinished->size(), 1);
        QCOMPARE(unfinished->constFirst().id, runId);
        QCOMPARE(unfinished->constFirst().state, RunState::Running);
        auto point = journal.resumePoint(runId);
        QVERIFY(point.ok());
        QCOMPARE(point->written, 3);
        QCOMPARE(point->failed, 0);
        QCOMPARE(point->lastSeq, 2);
        QVERIFY(point->awaitingBatch.isEmpty());
        QCOMPARE(point->pending.size(), 1);
        QCOMPARE(point->pending.constFirst().batchId, interrupted);
        QCOMPARE(point->pending.constFirst().seq, 2);
        QCOMPARE(point->pending.constFirst().emails, emails(3, 3));

        // The resumed stage goes over the whole source again: only the rest is planned; the
        // interrupted batch is re-sent under its own id.
        auto rest = journal.planBatch(runId, emails(0, 9));
        QVERIFY(rest.ok());
        QCOMPARE(rest->alreadyWritten, emails(0, 3));
        QCOMPARE(rest->alreadyPlanned, emails(3, 3));
        QCOMPARE(rest->planned, emails(6, 3));
        QCOMPARE(rest->seq, 3);
        QVERIFY(journal.completeBatch(interrupted, resultFor(emails(3, 3), {})).ok());
        QVERIFY(journal.completeBatch(rest->batchId, resultFor(rest->planned, {})).ok());

        QCOMPARE(journal.writtenCount(runId).value(), 9);
        QCOMPARE(journal.pendingBatches(runId).value().size(), 0);
        QSqlDatabase db = store.value()->database();
        QCOMPARE(
            scalar(db, u"SELECT COUNT(*) FROM transfer_records WHERE run_id = %1"_s.arg(runId)), 9);
        QCOMPARE(scalar(db, u"SELECT COUNT(DISTINCT email) FROM transfer_records"_s), 9);
        QVERIFY(journal.finishRun(runId, RunState::Finished, {{u"written"_s, 9}}).ok());
        QCOMPARE(journal.unfinishedRuns()->size(), 0);
    }

    void anEndedRunIsReopenedToContinue()
    {
        // A cancelled (or failed) run is continued by the next start: it is marked running again,
        // with no end time, until it ends once more.
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        QVERIFY(journal.finishRun(runId, RunState::Cancelled, {{u"pending"_s, 4}}).ok());
        QVERIFY(journal.run(runId)->finishedAt.isValid());
        QCOMPARE(journal.unfinishedRuns()->size(), 0);
        QVERIFY(journal.finishRun(runId, RunState::Running, {{u"pending"_s, 4}}).ok());
        QCOMPARE(journal.run(runId)->state, RunState::Running);
        QVERIFY(!journal.run(runId)->finishedAt.isValid());
        QCOMPARE(journal.unfinishedRuns()->size(), 1);
        QVERIFY(journal.finishRun(runId, RunState::Finished, {{u"pending"_s, 0}}).ok());
        QVERIFY(journal.run(runId)->finishedAt.isValid());
        QCOMPARE(journal.unfinishedRuns()->size(), 0);
    }

    void planningWhatTheRunWroteIsRefused()
    {
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        auto first = journal.planBatch(runId, emails(0, 2));
        QVERIFY(journal.completeBatch(first->batchId, resultFor(first->planned, {})).ok());

        const QString again = u"USER000001@example.com"_s;
        auto next = journal.planBatch(runId,
                                      {again, u"new@example.com"_s, u"New@Example.com"_s, u"  "_s});
        QVERIFY(next.ok());
        QCOMPARE(next->alreadyWritten, QStringList{u"user000001@example.com"_s});
        QCOMPARE(next->planned, QStringList{u"new@example.com"_s});
        QCOMPARE(next->alreadyPlanned, QStringList{u"new@example.com"_s}); // the repeat
        QCOMPARE(next->invalid, QStringList{u"  "_s});
        QCOMPARE(
            scalar(store->database(),
                   u"SELECT contacts FROM transfer_batches WHERE id = %1"_s.arg(next->batchId)),
            1);

        // Nothing left to write: no batch is made.
        auto none = journal.planBatch(runId, emails(0, 2));
        QVERIFY(none.ok());
        QCOMPARE(none->batchId, 0);
        QCOMPARE(none->alreadyWritten, emails(0, 2));
        QCOMPARE(scalar(store->database(), u"SELECT COUNT(*) FROM transfer_batches"_s), 2);

        // Another run of the same stage is a new journal: it may write them (a re-run).
        const qint64 rerun = journal.beginRun(u"wave"_s, 1, false).value();
        QCOMPARE(journal.planBatch(rerun, emails(0, 2))->planned, emails(0, 2));
        QVERIFY(!journal.planBatch(runId + 100, emails(0, 1)).ok());
    }

    void completeBatchIsOneTransaction()
    {
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        auto batch = journal.planBatch(runId, emails(0, 5));
        QVERIFY(batch.ok());
        const QStringList before = snapshot(store->database());
        QCOMPARE(before.size(), 5);

        // A failure naming a contact that is not in the batch, after a good one: nothing is kept.
        const BatchResult bad
            = resultFor(batch->planned, {{emails(0, 1).constFirst(), u"c"_s, u"m"_s},
                                         {u"stranger@example.com"_s, u"c"_s, u"m"_s}});
        const Status s = journal.completeBatch(batch->batchId, bad);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().where, u"stranger@example.com"_s);
        QCOMPARE(snapshot(store->database()), before);

        // The commit cannot take place: another connection holds the write lock.
        {
            ThreadConnection other(store->path());
            QVERIFY(other.isOpen());
            QSqlDatabase lockHolder = other.database();
            QSqlQuery hold(lockHolder);
            QVERIFY(hold.exec(u"BEGIN IMMEDIATE"_s));
            QVERIFY(hold.exec(u"UPDATE settings SET value = 'x' WHERE key = 'name'"_s));
            QSqlQuery shortWait(store->database());
            QVERIFY(shortWait.exec(u"PRAGMA busy_timeout = 50"_s));
            QTest::ignoreMessage(
                QtWarningMsg, QRegularExpression(u"could not be recorded.*database is locked"_s));
            const Status busy
                = journal.completeBatch(batch->batchId, resultFor(batch->planned, {}));
            QVERIFY(!busy.ok());
            QVERIFY2(busy.error().message.contains(u"could not be recorded"_s),
                     qPrintable(busy.error().toString()));
            QVERIFY(hold.exec(u"ROLLBACK"_s));
        }
        QCOMPARE(snapshot(store->database()), before);
        QCOMPARE(journal.pendingBatches(runId).value().constFirst().emails, emails(0, 5));

        // A connection that cannot write (the file reopened read-only): refused, nothing changed.
        {
            QSqlDatabase readOnly = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"readonly"_s);
            readOnly.setDatabaseName(store->path());
            readOnly.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            QVERIFY(readOnly.open());
            TransferJournal cannotWrite(readOnly);
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"could not be recorded"_s));
            QVERIFY(!cannotWrite.completeBatch(batch->batchId, resultFor(batch->planned, {})).ok());
            QCOMPARE(cannotWrite.pendingBatches(runId).value().constFirst().emails, emails(0, 5));
            readOnly.close();
        }
        QSqlDatabase::removeDatabase(u"readonly"_s);
        QCOMPARE(snapshot(store->database()), before);

        // Once the file is free, the same outcome is recorded whole, and only once.
        const BatchResult good
            = resultFor(batch->planned, {{emails(2, 1).constFirst(), u"c"_s, u"m"_s}});
        QVERIFY(journal.completeBatch(batch->batchId, good).ok());
        QCOMPARE(journal.writtenCount(runId).value(), 4);
        QCOMPARE(journal.failedCount(runId).value(), 1);
        const QStringList after = snapshot(store->database());
        QVERIFY(!journal.completeBatch(batch->batchId, resultFor(batch->planned, {})).ok());
        QCOMPARE(snapshot(store->database()), after);
    }

    void failBatchFailsItsPendingRecords()
    {
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"suppressions"_s, 0, false).value();
        auto batch = journal.planBatch(runId, emails(0, 3));
        Error refused(u"Key not valid"_s);
        refused.code = u"unauthorized"_s;
        QVERIFY(journal.failBatch(batch->batchId, refused).ok());
        QCOMPARE(journal.failedCount(runId).value(), 3);
        QCOMPARE(journal.failures(runId, 0, 10)->constLast().code, u"unauthorized"_s);
        QCOMPARE(
            scalar(
                store->database(),
                u"SELECT COUNT(*) FROM transfer_batches WHERE state = 'failed' AND failed = 3"_s),
            1);

        // A connector that gives no code, message or job id: recorded as empty, not refused.
        auto other = journal.planBatch(runId, emails(10, 2));
        BatchResult bare;
        bare.written = 1;
        bare.failed.append(WriteFailure{emails(10, 1).constFirst(), QString(), QString()});
        QVERIFY(journal.completeBatch(other->batchId, bare).ok());
        QCOMPARE(journal.failedCount(runId).value(), 4);
        QCOMPARE(journal.writtenCount(runId).value(), 1);
    }

    void failuresArePagedAndExported()
    {
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        // 600 failures over three batches; the first six carry messages a spreadsheet would run
        // or a careless writer would break.
        const QStringList tricky = {
            u"=SUM(A1:A9)"_s, u"+33 6 12"_s, u"-1"_s, u"@cmd"_s, u"Has, a comma and a \"quote\""_s,
            u"Two\nlines"_s};
        int n = 0;
        for (int b = 0; b < 3; ++b) {
            auto batch = journal.planBatch(runId, emails(b * 250, 250));
            QVERIFY(batch.ok());
            QList<WriteFailure> failed;
            for (int i = 0; i < 200; ++i, ++n) {
                const QString message = n < tricky.size() ? tricky[n] : u"Rejected %1"_s.arg(n);
                failed.append({batch->planned[i], u"invalid_parameter"_s, message});
            }
            QVERIFY(journal.completeBatch(batch->batchId, resultFor(batch->planned, failed)).ok());
        }
        QCOMPARE(journal.failedCount(runId).value(), 600);
        QCOMPARE(journal.writtenCount(runId).value(), 150);
        auto page = journal.failures(runId, 256, 3);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), 3);
        QCOMPARE(page->at(0).email, emails(250 + 56, 1).constFirst());
        QCOMPARE(page->at(0).batchSeq, 2);
        QCOMPARE(journal.failures(runId, 598, 10)->size(), 2);

        ErrorReportModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(store->database(), runId);
        QCOMPARE(model.rowCount(), 600);
        QCOMPARE(model.columnCount(), int(ErrorReportModel::ColumnCount));
        QCOMPARE(model.index(0, ErrorReportModel::Message).data().toString(), tricky[0]);
        QCOMPARE(model.index(300, ErrorReportModel::Email).data().toString(),
                 emails(250 + 100, 1).constFirst());
        QCOMPARE(model.index(300, ErrorReportModel::Batch).data().toInt(), 2);
        QCOMPARE(model.index(450, ErrorReportModel::Email).data().toString(),
                 emails(500 + 50, 1).constFirst());
        QCOMPARE(model.index(450, ErrorReportModel::Batch).data().toInt(), 3);
        QCOMPARE(model.index(599, ErrorReportModel::Message).data().toString(), u"Rejected 599"_s);
        QCOMPARE(model.index(0, ErrorReportModel::Code).data().toString(), u"invalid_parameter"_s);
        QVERIFY(!model.index(0, ErrorReportModel::Time).data().toString().isEmpty());
        QCOMPARE(model.headerData(ErrorReportModel::Email, Qt::Horizontal).toString(), u"Email"_s);

        const QString csvPath = m_dir.filePath(u"errors.csv"_s);
        auto written = ErrorReport::writeCsv(store->database(), runId, csvPath);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        QCOMPARE(written.value(), 600);

        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.peek(3) == QByteArrayLiteral("\xEF\xBB\xBF"));
        CsvReader reader(u"errors.csv"_s);
        QList<QStringList> rows;
        const bool ok = reader.read(f, [&](qint64, std::span<const QByteArrayView> fields) {
            QStringList row;
            for (QByteArrayView field : fields)
                row.append(QString::fromUtf8(field));
            rows.append(row);
            return true;
        });
        QVERIFY2(ok, qPrintable(reader.hasError() ? reader.error().toString() : QString()));
        QVERIFY(reader.hadByteOrderMark());
        QCOMPARE(reader.delimiter(), ',');
        QCOMPARE(rows.size(), 601);
        QCOMPARE(rows[0],
                 (QStringList{u"email"_s, u"code"_s, u"message"_s, u"batch"_s, u"time"_s}));
        QCOMPARE(rows[1][0], emails(0, 1).constFirst());
        QCOMPARE(rows[1][1], u"invalid_parameter"_s);
        QCOMPARE(rows[1][2], u"'=SUM(A1:A9)"_s);
        QCOMPARE(rows[2][2], u"'+33 6 12"_s);
        QCOMPARE(rows[3][2], u"'-1"_s);
        QCOMPARE(rows[4][2], u"'@cmd"_s);
        QCOMPARE(rows[5][2], u"Has, a comma and a \"quote\""_s);
        QCOMPARE(rows[6][2], u"Two\nlines"_s);
        QCOMPARE(rows[1][3], u"1"_s);
        QCOMPARE(rows[600][3], u"3"_s);
        QCOMPARE(rows[600][2], u"Rejected 599"_s);
        QVERIFY(QDateTime::fromString(rows[1][4], Qt::ISODateWithMs).isValid());
        // The raw bytes: quoted and doubled where RFC 4180 says, CRLF line ends.
        f.seek(0);
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.contains("\"Has, a comma and a \"\"quote\"\"\""));
        QVERIFY(bytes.contains("\"Two\nlines\""));
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"
                                 "email,code,message,batch,time\r\n"));

        // A folder that does not exist: an error, and no file.
        const QString nowhere = m_dir.filePath(u"missing/errors.csv"_s);
        QVERIFY(!ErrorReport::writeCsv(store->database(), runId, nowhere).ok());
        QVERIFY(!QFile::exists(nowhere));
    }

    void retryFailedReleasesTheFailedRows()
    {
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        auto batch = journal.planBatch(runId, emails(0, 5));
        QVERIFY(journal
                    .completeBatch(
                        batch->batchId,
                        resultFor(batch->planned, {{emails(3, 1).constFirst(), u"c"_s, u"m"_s},
                                                   {emails(1, 1).constFirst(), u"c"_s, u"m"_s}}))
                    .ok());
        ErrorReportModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRun(store->database(), runId);
        QCOMPARE(model.rowCount(), 2);

        auto retry = journal.retryFailed(runId);
        QVERIFY(retry.ok());
        const QStringList failed = {emails(1, 1).constFirst(), emails(3, 1).constFirst()};
        QCOMPARE(retry.value(), failed);
        QCOMPARE(journal.failedCount(runId).value(), 0);
        model.reload();
        QCOMPARE(model.rowCount(), 0);
        auto point = journal.resumePoint(runId);
        QCOMPARE(point->awaitingBatch, failed);
        QVERIFY(point->pending.isEmpty());

        // The mapping was fixed: the retry batch takes exactly the failed rows.
        auto again = journal.planBatch(runId, retry.value());
        QVERIFY(again.ok());
        QCOMPARE(again->planned, failed);
        QCOMPARE(again->seq, 2);
        QVERIFY(journal.completeBatch(again->batchId, resultFor(failed, {})).ok());
        QCOMPARE(journal.writtenCount(runId).value(), 5);
        QCOMPARE(journal.retryFailed(runId).value(), QStringList());
        QVERIFY(journal.resumePoint(runId)->awaitingBatch.isEmpty());
    }

    void upgradesAVersion3Project()
    {
        const QString file = m_dir.filePath(u"v3.stagecoach"_s);
        const QList<SchemaMigration> v3 = Schema::migrations().mid(0, 3);
        QCOMPARE(v3.constLast().toVersion, 3);
        {
            auto store = ProjectStore::create(file, u"Old project"_s, v3);
            QVERIFY(store.ok());
            QVERIFY(store.value()->setValue(u"plan.owner"_s, u"Dana"_s).ok());
            QSqlQuery q(store.value()->database());
            QVERIFY(q.exec(
                u"INSERT INTO field_mapping (target, source, position, kind) VALUES ('brevo', 'FNAME', 0, 'field')"_s));
        }
        auto store = ProjectStore::open(file);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        {
            QSqlDatabase db = store.value()->database();
            QCOMPARE(Schema::userVersion(db), Schema::currentVersion()); // every migration after 3
            QCOMPARE(store.value()->name(), u"Old project"_s);
            QCOMPARE(store.value()->value(u"plan.owner"_s).toString(), u"Dana"_s);
            QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM field_mapping WHERE source = 'FNAME'"_s), 1);
            TransferJournal journal(db);
            const qint64 runId = journal.beginRun(u"backup"_s, 0, false).value();
            QVERIFY(runId > 0);
            QCOMPARE(journal.planBatch(runId, emails(0, 2))->planned.size(), 2);
        }
        store.value().reset();

        const QString backup = file + u".v3.bak"_s;
        QVERIFY(QFile::exists(backup));
        auto old = ProjectStore::open(backup, v3);
        QVERIFY(old.ok());
        {
            QSqlDatabase oldDb = old.value()->database();
            QCOMPARE(Schema::userVersion(oldDb), 3);
        }
        QCOMPARE(old.value()->value(u"plan.owner"_s).toString(), u"Dana"_s);
        QCOMPARE(scalar(old.value()->database(),
                        u"SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'transfer_%'"_s),
                 0);
    }

    void upgradesAVersion5Journal()
    {
        // Version 6 puts the records in a table in the order of their batches, without an index
        // of their addresses, and replaces their two indexes by one of the open records: a
        // journal written before reads back the same, and still holds each address once.
        const QString file = m_dir.filePath(u"v5.stagecoach"_s);
        const QList<SchemaMigration> v5 = Schema::migrations().mid(0, 5);
        QCOMPARE(v5.constLast().toVersion, 5);
        // Written as the journal of version 5 wrote it (the code now writes version 6): run 1
        // with a batch done (one record failed), a batch refused and a batch left planned; run 2
        // with a batch done whose failed record was released for a retry.
        const qint64 first = 1;
        const qint64 second = 2;
        QStringList before;
        {
            auto store = ProjectStore::create(file, u"Old project"_s, v5);
            QVERIFY(store.ok());
            QSqlDatabase db = store.value()->database();
            QSqlQuery q(db);
            const QString t = u"2026-11-20T10:00:00.000Z"_s;
            QVERIFY(q.exec(u"INSERT INTO transfer_runs (id, stage, wave, started_at) VALUES "
                           "(1, 'wave', 1, '%1'), (2, 'wave', 2, '%1')"_s.arg(t)));
            QVERIFY(q.exec(
                u"INSERT INTO transfer_batches (id, run_id, seq, state, contacts, written, failed, "
                "started_at, finished_at) VALUES (1, 1, 1, 'done', 4, 3, 1, '%1', '%1'), "
                "(2, 1, 2, 'failed', 3, 0, 3, '%1', '%1'), (3, 1, 3, 'planned', 2, 0, 0, '%1', ''), "
                "(4, 2, 1, 'done', 3, 2, 1, '%1', '%1')"_s.arg(t)));
            const auto record = [&](qint64 run, int i, qint64 batch, const QString &outcome,
                                    const QString &code, const QString &message) {
                QSqlQuery r(db);
                r.prepare(u"INSERT INTO transfer_records (run_id, email, batch_id, outcome, code, "
                          "message) VALUES (?, ?, ?, ?, ?, ?)"_s);
                for (const QVariant &v : {QVariant(run), QVariant(emails(i, 1).constFirst()),
                                          QVariant(batch), QVariant(outcome), QVariant(code),
                                          QVariant(message)})
                    r.addBindValue(v);
                return r.exec();
            };
            for (int i : {0, 1, 3})
                QVERIFY(record(first, i, 1, u"written"_s, u""_s, u""_s));
            QVERIFY(record(first, 2, 1, u"failed"_s, u"invalid"_s, u"No."_s));
            for (int i : {4, 5, 6})
                QVERIFY(record(first, i, 2, u"failed"_s, u"batch_failed"_s, u"Refused."_s));
            for (int i : {7, 8})
                QVERIFY(record(first, i, 3, u"pending"_s, u""_s, u""_s));
            for (int i : {100, 102})
                QVERIFY(record(second, i, 4, u"written"_s, u""_s, u""_s));
            QVERIFY(record(second, 101, 4, u"pending"_s, u""_s, u""_s));
            QVERIFY(!record(first, 0, 3, u"pending"_s, u""_s, u""_s)); // the key of version 5
            before = snapshot(db);
            QCOMPARE(before.size(), 12);
        }

        auto store = ProjectStore::open(file);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QSqlDatabase db = store.value()->database();
        QCOMPARE(Schema::userVersion(db), Schema::currentVersion());
        QCOMPARE(snapshot(db), before);
        QCOMPARE(scalar(db, u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                            "('transfer_records_by_batch', 'transfer_records_by_outcome')"_s),
                 0);
        TransferJournal journal(db);
        QCOMPARE(journal.writtenCount(first).value(), 3);
        QCOMPARE(journal.failedCount(first).value(), 4);
        const QList<RecordFailure> failures = journal.failures(first, 0, 100).value();
        QStringList failed;
        for (const RecordFailure &f : failures)
            failed.append(u"%1 %2 %3"_s.arg(f.email, f.code).arg(f.batchSeq));
        QCOMPARE(failed, (QStringList{emails(2, 1).constFirst() + u" invalid 1"_s,
                                      emails(4, 1).constFirst() + u" batch_failed 2"_s,
                                      emails(5, 1).constFirst() + u" batch_failed 2"_s,
                                      emails(6, 1).constFirst() + u" batch_failed 2"_s}));
        const ResumePoint open = journal.resumePoint(first).value();
        QCOMPARE(open.pending.size(), 1);
        QCOMPARE(open.pending.constFirst().emails, emails(7, 2));
        QCOMPARE(journal.resumePoint(second)->awaitingBatch, emails(101, 1));
        QCOMPARE(journal.writtenCount(second).value(), 2);

        // The run's addresses are still unique: nobody is planned twice.
        const PlannedBatch again = journal.planBatch(first, emails(0, 9)).value();
        QCOMPARE(again.alreadyWritten, (QStringList{emails(0, 2) + emails(3, 1)}));
        QCOMPARE(again.alreadyPlanned, emails(7, 2));
        QCOMPARE(again.planned, (QStringList{emails(2, 1) + emails(4, 3)}));

        // The queries of open records read the index (its condition repeated in the query).
        QSqlQuery plan(db);
        QVERIFY(plan.exec(u"EXPLAIN QUERY PLAN SELECT email FROM transfer_records WHERE run_id = 1 "
                          "AND outcome = 'pending' AND outcome <> 'written' AND batch_id = 3"_s));
        QString detail;
        while (plan.next())
            detail += plan.value(3).toString() + u'\n';
        QVERIFY2(detail.contains(u"transfer_records_open"_s), qPrintable(detail));
    }

    void addressesSharingAHashAreToldApart()
    {
        // Every address with the same hash: each one found is checked against its record.
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        journal.setAddressHash([](const QString &) { return size_t(7); });
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        auto batch = journal.planBatch(runId, emails(0, 5));
        QCOMPARE(batch->planned, emails(0, 5));
        QVERIFY(journal
                    .completeBatch(batch->batchId,
                                   resultFor(batch->planned,
                                             {{emails(4, 1).constFirst(), u"c"_s, u"m"_s}}))
                    .ok());
        auto next = journal.planBatch(runId, emails(2, 6) + emails(6, 1));
        QVERIFY(next.ok());
        QCOMPARE(next->alreadyWritten, emails(2, 2));
        QCOMPARE(next->planned, emails(4, 4)); // the failed one moves; 5, 6 and 7 are new
        QCOMPARE(next->alreadyPlanned, emails(6, 1));
        QCOMPARE(scalar(store->database(), u"SELECT COUNT(*) FROM transfer_records"_s), 8);
        QCOMPARE(scalar(store->database(),
                        u"SELECT COUNT(DISTINCT email) FROM transfer_records"_s),
                 8);
    }

    void addressesAreStoredAsGiven()
    {
        // The batch's addresses reach SQLite as a JSON array: what JSON escapes comes back as is.
        auto store = newProject();
        QVERIFY(store);
        TransferJournal journal(store->database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        const QStringList odd = {u"quote\"d@example.com"_s, u"back\\slash@example.com"_s,
                                 u"tab\there@example.com"_s, u"ctl\u0001x@example.com"_s,
                                 u"\u00e9l\u00e8ve@\u00e9cole.example"_s, u"\U0001F600@example.com"_s,
                                 u"slash/u@example.com"_s};
        QStringList normalized;
        for (const QString &e : odd)
            normalized.append(TransferJournal::normalizedEmail(e));
        auto batch = journal.planBatch(runId, odd);
        QVERIFY(batch.ok());
        QCOMPARE(batch->planned, normalized);
        QSqlQuery q(store->database());
        QVERIFY(q.exec(u"SELECT email FROM transfer_records ORDER BY id"_s));
        QStringList stored;
        while (q.next())
            stored.append(q.value(0).toString());
        QStringList sorted = normalized;
        sorted.sort();
        QCOMPARE(stored, sorted);
        TransferJournal later(store->database());
        QCOMPARE(later.planBatch(runId, odd)->alreadyPlanned, normalized);
    }

    void connectionsPlanningTheSameRunSeeEachOther()
    {
        // Each journal keeps the run's addresses; a batch planned on another connection since
        // is seen before the next one is planned here, so that nobody is in the run twice.
        auto store = newProject();
        QVERIFY(store);
        TransferJournal here(store->database());
        const qint64 runId = here.beginRun(u"wave"_s, 1, false).value();
        QCOMPARE(here.planBatch(runId, emails(0, 4))->planned, emails(0, 4));
        {
            ThreadConnection other(store->path());
            QVERIFY(other.isOpen());
            TransferJournal there(other.database());
            auto theirs = there.planBatch(runId, emails(2, 4));
            QCOMPARE(theirs->alreadyPlanned, emails(2, 2));
            QCOMPARE(theirs->planned, emails(4, 2));
            QVERIFY(there.completeBatch(theirs->batchId, resultFor(theirs->planned, {})).ok());
        }
        auto mine = here.planBatch(runId, emails(3, 4));
        QVERIFY(mine.ok());
        QCOMPARE(mine->alreadyPlanned, emails(3, 1));
        QCOMPARE(mine->alreadyWritten, emails(4, 2));
        QCOMPARE(mine->planned, emails(6, 1));
        QCOMPARE(scalar(store->database(),
                        u"SELECT COUNT(*) - COUNT(DISTINCT email) FROM transfer_records"_s),
                 0);
        // A journal made later reads the run's addresses from the file.
        TransferJournal later(store->database());
        auto again = later.planBatch(runId, emails(0, 8));
        QCOMPARE(again->alreadyWritten, emails(4, 2));
        QCOMPARE(again->alreadyPlanned, emails(0, 4) + emails(6, 1));
        QCOMPARE(again->planned, emails(7, 1));
    }

    void journalsFromAWorkerThread()
    {
        // The stage's worker journals on its own connection while the GUI thread reads.
        auto store = newProject();
        QVERIFY(store);
        const QString file = store->path();
        QFuture<qint64> worker = QtConcurrent::run([file]() -> qint64 {
            ThreadConnection connection(file);
            if (!connection.isOpen())
                return -1;
            TransferJournal journal(connection.database());
            const auto run = journal.beginRun(u"wave"_s, 3, false);
            if (!run)
                return -1;
            for (int b = 0; b < 10; ++b) {
                const auto batch = journal.planBatch(run.value(), emails(b * 20, 20));
                if (!batch)
                    return -1;
                const QList<WriteFailure> failed = {{batch->planned.constLast(), u"c"_s, u"m"_s}};
                if (!journal.completeBatch(batch->batchId, resultFor(batch->planned, failed)))
                    return -1;
            }
            return run.value();
        });
        ErrorReportModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        worker.waitForFinished(); // no event loop is needed here: nothing is served on this thread
        const qint64 runId = worker.result();
        QVERIFY(runId > 0);
        model.setRun(store->database(), runId);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(9, ErrorReportModel::Email).data().toString(),
                 emails(199, 1).constFirst());
        TransferJournal reader(store->database());
        QCOMPARE(reader.writtenCount(runId).value(), 190);
    }

    void hundredThousandRecordRun()
    {
        auto store = newProject();
        QVERIFY(store);
        ThreadConnection connection(store->path());
        TransferJournal journal(connection.database());
        const qint64 runId = journal.beginRun(u"wave"_s, 1, false).value();
        constexpr int kBatches = 200;
        constexpr int kBatchSize = 500;
        QElapsedTimer timer;
        timer.start();
        for (int b = 0; b < kBatches; ++b) {
            const QStringList batchEmails = emails(b * kBatchSize, kBatchSize);
            auto batch = journal.planBatch(runId, batchEmails);
            QVERIFY(batch.ok());
            QCOMPARE(batch->planned.size(), kBatchSize);
            // One rejected contact in every batch.
            const Status s = journal.completeBatch(
                batch->batchId, resultFor(batch->planned, {{batch->planned[b % kBatchSize],
                                                            u"invalid"_s, u"No"_s}}));
            QVERIFY(s.ok());
        }
        const qint64 ms = qMax<qint64>(1, timer.elapsed());
        qInfo("journaled 100000 records in %d batches in %lld ms: %lld records/s", kBatches, ms,
              qint64(100000) * 1000 / ms);
        QCOMPARE(journal.writtenCount(runId).value(), 100000 - kBatches);
        QCOMPARE(journal.failedCount(runId).value(), kBatches);
        QCOMPARE(journal.resumePoint(runId)->lastSeq, kBatches);
        QCOMPARE(scalar(connection.database(), u"SELECT COUNT(*) FROM transfer_records"_s), 100000);
    }
};

QTEST_GUILESS_MAIN(tst_TransferJournal)
#include "tst_transferjournal.moc"
