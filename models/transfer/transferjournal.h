#pragma once

#include "connectors/connector.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

/** The state of a stage run in the journal. */
enum class RunState { Running, Paused, Finished, Failed, Cancelled };

/** A run of a stage as the journal holds it. */
struct TransferRun
{
    qint64 id = 0;
    QString stage; ///< StageKinds::key(): "backup", "setup", "suppressions", "wave", ...
    int wave = 0;
    bool dryRun = false;
    RunState state = RunState::Running;
    QDateTime startedAt;
    QDateTime finishedAt; ///< invalid while the run has not ended
    QJsonObject counts;
    QString approvedBy;
    QDateTime approvedAt; ///< invalid while not approved
    QString comment;
};

/** What planBatch() did with the emails it was given (all normalised). */
struct PlannedBatch
{
    qint64 batchId = 0;         ///< 0 when nothing was left to plan (no batch was made)
    int seq = 0;                ///< the batch's number in its run, from 1
    QStringList planned;        ///< now pending in this batch: send exactly these
    QStringList alreadyWritten; ///< the run wrote them before: never send them again
    QStringList alreadyPlanned; ///< pending in another batch not yet completed (resume sends them)
    QStringList invalid;        ///< empty after trimming: not planned
};

/** A batch planned and never completed (the app was killed or the write failed to journal). */
struct PendingBatch
{
    qint64 batchId = 0;
    int seq = 0;
    QStringList emails; ///< still pending, in email order: to be sent again
};

/** Where an interrupted run stands. */
struct ResumePoint
{
    qint64 runId = 0;
    QList<PendingBatch> pending; ///< batches to send again (upserts keyed by email make it safe)
    QStringList awaitingBatch;   ///< pending outside any planned batch (retryFailed()): plan them
    qint64 written = 0;
    qint64 failed = 0;
    int lastSeq = 0; ///< the highest batch number used so far
};

/** A record the platform or validation rejected, for the row-level error report. */
struct RecordFailure
{
    QString email;
    QString code;
    QString message;
    int batchSeq = 0;
    QDateTime time; ///< when its batch was completed
};

/**
 * The transfer journal in the project file: every stage run, its batches and the outcome of every
 * record, so that a run interrupted at any point resumes without skipping or writing anyone twice.
 *
 * Works on one QSqlDatabase connection and is used on the thread that opened it (a worker uses a
 * ThreadConnection). Each batch is planned in one transaction and completed in one transaction: a
 * failure leaves the journal as it was and returns an Error. Emails are stored normalised
 * (EmailAddress::normalized()). The writing calls take their own transaction (BEGIN IMMEDIATE):
 * do not call them inside one of the caller's. A run holds an address once: planBatch(), the only
 * call that adds records, keeps it so (the table has no unique index of the addresses; see
 * KnownAddresses).
 *
 * Resuming: unfinishedRuns() on opening the project; for each, resumePoint() gives the batches to
 * send again under their own ids (completeBatch() them) and the records awaiting a batch; the rest
 * of the source is then planned as usual, and planBatch() leaves out whatever the run wrote.
 */
class TransferJournal
{
    Q_DECLARE_TR_FUNCTIONS(TransferJournal)

public:
    explicit TransferJournal(QSqlDatabase db);

    static QString stateKey(RunState state);
    static std::optional<RunState> stateFromKey(QStringView key);
    static QString normalizedEmail(const QString &email);

    /// Starts a run of a stage (key as StageKinds::key(), wave 0 for the suppressions and for
    /// stages that are not waves); returns its id. An unknown stage key is an Error.
    Result<qint64> beginRun(const QString &stage, int wave, bool dryRun);

    /**
     * Makes the next batch of a run from these emails, all pending, in one transaction. An email
     * the run already wrote, or one pending in a batch not yet completed (also a repeat within
     * `emails`), is not planned and is reported; failed or skipped ones (and those retryFailed()
     * released) move to the new batch.
     */
    Result<PlannedBatch> planBatch(qint64 runId, const QStringList &emails);

    /**
     * Journals a batch's outcome in one transaction: its state, counts and job id, each failure's
     * code and message, and every other record of the batch as written. A failure naming an email
     * that is not pending in the batch, or a batch already completed, is an Error and changes
     * nothing.
     */
    Status completeBatch(qint64 batchId, const BatchResult &result);

    /// The whole batch write failed (the platform refused the request): every pending record of
    /// the batch is failed with the error's code and message; the batch is "failed".
    Status failBatch(qint64 batchId, const Error &error);

    /// Batches of the run planned and not completed, with their pending emails.
    Result<QList<PendingBatch>> pendingBatches(qint64 runId);
    Result<ResumePoint> resumePoint(qint64 runId);

    Status finishRun(qint64 runId, RunState state, const QJsonObject &counts);
    Status approve(qint64 runId, const QString &who, const QString &comment);

    Result<TransferRun> run(qint64 runId);
    /// Runs that never ended (running: interrupted by a crash or kill; paused), oldest first.
    Result<QList<TransferRun>> unfinishedRuns();
    /// Every run of a stage (all stages when empty), oldest first.
    Result<QList<TransferRun>> runs(const QString &stage = {});

    Result<qint64> writtenCount(qint64 runId);
    Result<qint64> failedCount(qint64 runId);
    /// A run's failures in report order (batch, then email).
    Result<QList<RecordFailure>> failures(qint64 runId, qint64 offset, int limit);

    /// The run's failed records moved back to pending (for a new planBatch()); returns their
    /// emails.
    Result<QStringList> retryFailed(qint64 runId);

    QSqlDatabase database() const { return m_db; }

    /// The hash planBatch() keeps the run's addresses by (qHash by default). For tests: one
    /// with collisions exercises the check of a hash found against its record's address.
    void setAddressHash(std::function<size_t(const QString &)> hash);

private:
    /**
     * The addresses of one run as this journal last saw them: each record's id by the hash of
     * its address (m_addressHash; a hash found is checked against the record, since two
     * addresses may share one). planBatch() decides with them which addresses are new to the run, instead of
     * an index of every record's address, which a batch rewrote a page of for each of its
     * records. They are read from the table again whenever its highest id is not the one they
     * were read at, i.e. when another connection planned records since.
     */
    struct KnownAddresses
    {
        qint64 runId = 0;  ///< 0: none known
        qint64 lastId = 0; ///< the table's highest record id when they were known
        QHash<size_t, qint64> first;
        QMultiHash<size_t, qint64> more; ///< the rare second address of a hash, and further ones
        void add(size_t hash, qint64 id);
        QList<qint64> idsOf(size_t hash) const;
    };
    /// Makes m_known the run's addresses (within the caller's write transaction).
    Status knowRunAddresses(qint64 runId, const QString &what);
    Status closeBatch(qint64 batchId, const BatchResult *result, const Error *error);
    Error storeError(const QString &what, const QString &why) const;

    QSqlDatabase m_db;
    std::function<size_t(const QString &)> m_addressHash;
    KnownAddresses m_known;
};
