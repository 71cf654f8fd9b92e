#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <optional>
#include <utility>

/** What the manager decided after reading a stage's integrity diff. */
enum class ReviewDecision { Approved, Rejected };

/** One integrity review as the project file holds it. */
struct ReviewRecord
{
    qint64 id = 0;
    QString stage;    ///< StageRef::id(): "wave-0", "wave-2"
    qint64 runId = 0; ///< the stage's run the diff was made after
    QString reviewer;
    QDateTime reviewedAt; ///< UTC
    ReviewDecision decision = ReviewDecision::Approved;
    QString comment;
    QJsonObject figures; ///< DiffSummary::toJson() and "scope" (IntegrityReview::figures())

    static QString decisionKey(ReviewDecision d); ///< "approved", "rejected"
    QString decisionText() const;                 ///< translated
};

/**
 * The integrity reviews in the project file (table integrity_reviews, schema version 5). Works on
 * one QSqlDatabase connection, on the thread that opened it.
 */
class ReviewStore
{
    Q_DECLARE_TR_FUNCTIONS(ReviewStore)

public:
    explicit ReviewStore(QSqlDatabase db)
        : m_db(std::move(db))
    {}

    /// Stores a review (its id is set); reviewedAt is taken as given (UTC).
    Status add(ReviewRecord &review);
    Status remove(qint64 id);
    /// Reviews of a stage (every stage when empty), oldest first.
    Result<QList<ReviewRecord>> reviews(const QString &stage = {}) const;
    /// The newest review of a stage.
    std::optional<ReviewRecord> latest(const QString &stage) const;

private:
    QSqlDatabase m_db;
};
