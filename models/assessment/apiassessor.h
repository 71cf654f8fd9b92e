#pragma once

#include "assessment/assessor.h"
#include "connectors/connector.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QPromise>

#include <functional>

/**
 * The assessment of an account read through its platform's API instead of export files: the same
 * inventory (statuses, fields with inferred types and fill counts, tags, duplicates and invalid
 * addresses, consent evidence, engagement), streamed page by page through an InventoryBuilder,
 * plus what only the API shows (templates, campaigns and how many in the last 12 months,
 * automations, segments, integrations, sending domains) as an AccountSummary and as assets.
 *
 * Runs on a worker thread and waits there for the connector's answers (never on the connector's
 * network thread). Any failed call ends the run with that call's Error: nothing partial is
 * returned. Parts the API does not offer (SourceConnector::features()) are left out, counted -1.
 */
class ApiAssessor
{
    Q_DECLARE_TR_FUNCTIONS(ApiAssessor)

public:
    /// Called between requests and pages: permille done and a line saying what is read. Return
    /// false to cancel.
    using ProgressFn = std::function<bool(int permille, const QString &text)>;

    /**
     * Reads the audience `audienceId` (empty: the account's largest audience; Brevo and Klaviyo
     * may read the whole account) and the account's other parts. `now` dates "the last 12 months".
     */
    static AssessmentOutcome assess(SourceConnector &source, const QString &audienceId, const QDateTime &now,
                          const ProgressFn &progress = {});

    /// The descriptor stored in place of a file list: "api:<platform>:<audience id>".
    static QString sourceDescriptor(TargetPlatform platform, const QString &audienceId);
    /// Reads a descriptor back; false when `text` is not one.
    static bool parseDescriptor(const QString &text, TargetPlatform *platform, QString *audienceId);
};

/** ApiAssessor::assess inside a QtConcurrent job, with progress and cancellation. */
AssessmentOutcome assessApiForPromise(QPromise<AssessmentOutcome> &promise, SourceConnector &source,
                                      const QString &audienceId);
