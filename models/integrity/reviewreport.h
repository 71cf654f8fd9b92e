#pragma once

#include "integrity/reviewstore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

/**
 * The figures of an integrity review as people read them (HTML for a QLabel or the plan PDF),
 * from IntegrityReview::figures() - a live diff or one recorded with a review.
 */
class ReviewReport
{
    Q_DECLARE_TR_FUNCTIONS(ReviewReport)

public:
    /// Consent violations first (in red), then the counts of both sides, identical, missing,
    /// extra, changed, the changes per field and the status classes of both sides.
    static QString summaryHtml(const QJsonObject &figures);
    /// One line: "1,204 on the source, 1,204 on the target: 1,203 identical, 0 missing, ...".
    static QString keyFigures(const QJsonObject &figures);
    /// "Approved by ann on 4 May 2026 10:30: <comment>".
    static QString decisionLine(const ReviewRecord &review);
};
