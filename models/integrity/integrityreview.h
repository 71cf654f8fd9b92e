#pragma once

#include "connectors/connector.h"
#include "connectors/fieldmapping.h"
#include "core/result.h"
#include "integrity/diffengine.h"
#include "integrity/reviewstore.h"
#include "transfer/transferconfig.h"

#include <QFutureWatcher>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(DiffProgress)

class ConnectionController;
class FieldMappingController;
class NetworkThread;
class ProjectStore;
class TransferController;

/** A finished comparison: the differences and what was compared. */
struct ReviewDiff
{
    std::shared_ptr<const DiffResult> result;
    /// What the diff covered: {"kind": "stage"|"files", "stage", "wave", "runId", "source",
    /// "target", "sourceOutOfScope", "targetOutOfScope", "text"} (see IntegrityReview::figures()).
    QJsonObject scope;
    QDateTime madeAt; ///< UTC
};

/**
 * The integrity review and its gate (issue 6), without widgets: after a wave, the diff between
 * the source snapshot (the verified backup the waves read) and the target as it is now (read back
 * through its API), with the project's field mapping, in the background with progress and
 * Cancel; or on demand between two files. Keeps the latest diff per stage.
 *
 * Approving a stage through its review records the review (reviewer, time, decision, comment and
 * the figures) in the project file and approves the stage's run with TransferController::approve,
 * so the transfer's gate keeps the next stage locked until then. A consent violation cannot be
 * approved; a rejection, and an approval with contacts missing or changed, need a comment.
 *
 * Only the waves (wave 0 and the subscriber waves) have a review: the backup and the setup write
 * no contacts. What a wave's review compares is WaveScope's: the contacts of waves 0..N.
 */
class IntegrityReview : public QObject
{
    Q_OBJECT

public:
    static constexpr QStringView kFilesKey = u"files"; ///< the key of the on-demand comparison

    IntegrityReview(ProjectStore *store, ConnectionController *connections,
                    TransferController *transfer, FieldMappingController *mapping,
                    QObject *parent = nullptr);
    /// Cancels a running comparison and waits for it.
    ~IntegrityReview() override;

    /// Whether a stage has a review: the waves.
    static bool reviewable(const StageRef &ref) { return ref.isWave(); }

    /**
     * Compares the stage's scope of the backup with the target now, in the background (reading
     * the target's key first). Refused (false) while a comparison runs; errors come as failed().
     */
    bool reviewStage(const StageRef &ref);
    /// Compares two files (exports or backup folders), with a mapping file or automatically.
    bool compareFiles(const QString &source, const QString &target,
                      const QString &mappingFile = {});
    void cancel();
    bool isRunning() const { return m_runningKey.has_value(); }
    std::optional<QString> runningKey() const { return m_runningKey; }
    const DiffProgress &lastProgress() const { return m_progress; }

    /// The latest comparison of a stage (StageRef::id()) or of the files (kFilesKey).
    std::optional<ReviewDiff> diff(const QString &key) const;
    /// What a review records: the summary's JSON with "scope" added.
    static QJsonObject figures(const ReviewDiff &diff);

    /**
     * Approves the stage after its review: needs a diff made after the stage's latest run, no
     * consent violation, and a comment when contacts are missing or changed. Records the review,
     * then approves the run (TransferController::approve, whose rules apply too).
     */
    Status approve(const StageRef &ref, const QString &who, const QString &comment);
    /// Records a rejection (a comment is needed); the stage stays unapproved.
    Status reject(const StageRef &ref, const QString &who, const QString &comment);

    /// Reviews recorded for a stage (all when empty), oldest first.
    QList<ReviewRecord> reviews(const QString &stage = {}) const;

Q_SIGNALS:
    void started(const QString &key);
    void progressChanged(const DiffProgress &progress);
    void finished(const QString &key);
    void failed(const QString &key, const Error &error);
    void reviewsChanged();

private:
    struct Job;
    void launch(std::shared_ptr<Job> job);
    void onWorkerFinished();
    static Result<ReviewDiff> work(Job &job, const std::atomic_bool &cancel,
                                   const DiffEngine::ProgressHandler &progress);
    Status checkReviewed(const StageRef &ref, const ReviewDiff **diff) const;
    Status record(const StageRef &ref, const ReviewDiff &diff, ReviewDecision decision,
                  const QString &who, const QString &comment, qint64 *id = nullptr);

    ProjectStore *m_store;
    ConnectionController *m_connections;
    TransferController *m_transfer;
    FieldMappingController *m_mapping;
    QThreadPool m_pool;
    std::unique_ptr<NetworkThread> m_network;
    QFutureWatcher<Result<ReviewDiff>> m_watcher;
    std::atomic_bool m_cancel{false};
    std::optional<QString> m_runningKey;
    bool m_starting = false;
    DiffProgress m_progress;
    QHash<QString, ReviewDiff> m_diffs;
};

/**
 * The project's field mapping (FieldMappingController::rows()) as the fields a diff compares:
 * every written field, by the source's field label or key and the target's field name; tags as
 * tag sets. Both sides opened. Rows whose source field the side does not have are left out.
 */
/// `compared` (when given) receives the mapping row of each compared field, in the same order.
DiffMapping reviewMapping(const QList<FieldMappingRow> &rows, DiffRecordSource &source,
                          DiffRecordSource &target, QList<FieldMappingRow> *compared = nullptr);
