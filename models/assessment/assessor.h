#pragma once

#include "assessment/asset.h"
#include "assessment/inventory.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QPromise>
#include <QStringList>

#include <functional>
#include <optional>

struct AssessmentProgress
{
    QString part;          ///< the stream being read
    qint64 bytesDone = 0;  ///< over all parts
    qint64 bytesTotal = 0;
    qint64 rows = 0;       ///< data rows so far
};

/** What an assessment run ended with: an inventory, an error, or a cancellation. */
struct AssessmentOutcome
{
    std::optional<Inventory> inventory;
    std::optional<Error> error;
    bool cancelled = false;
    /// What only an API shows (templates, campaigns ...), to merge into the assets by kind and
    /// name; empty for export files.
    QList<Asset> assets;
};

/**
 * Reads export files (zips and CSVs) once, streaming, and builds their inventory. A format error
 * in any file ends the run with that file and line; nothing partial is returned.
 */
class Assessor
{
    Q_DECLARE_TR_FUNCTIONS(Assessor)

public:
    /// Called after each chunk (about every MiB); return false to cancel.
    using ProgressFn = std::function<bool(const AssessmentProgress &)>;

    static AssessmentOutcome assess(const QStringList &paths, const ProgressFn &progress = {});
};

/**
 * The assessment inside a QtConcurrent job: reports progress as per mille of the bytes with a
 * "file: rows" text at most ten times a second, and honours cancellation. Returns the outcome
 * (the caller adds it to the promise, after any work of its own).
 */
AssessmentOutcome assessForPromise(QPromise<AssessmentOutcome> &promise, const QStringList &paths);
