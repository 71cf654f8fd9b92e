#pragma once

#include "connectors/connector.h"
#include "core/result.h"
#include "transfer/backupmanifest.h"

#include <QCoreApplication>
#include <QFuture>
#include <QPromise>
#include <QString>

/** How a backup reads its source. */
struct BackupOptions
{
    int pageSize = 0; ///< contacts per request; 0: the platform's largest page
};

/**
 * The Backup stage: a full copy of a source audience into the project's archive,
 * `<project folder>/<project base name>.archive/backup-<UTC yyyyMMdd-HHmmss>/`:
 * contacts.jsonl (every status, with fields, tags and consent evidence), fields.json,
 * templates.jsonl (with HTML), campaigns.jsonl (with report figures) and manifest.json (written
 * last) with each file's records, bytes and SHA-256.
 *
 * Streams: contacts are written page by page as they arrive and hashed as they are written, so
 * memory holds one page. Files are written as `.part` and renamed when complete. Parts the
 * connector's features() lack are skipped and listed in the manifest. A failed or cancelled
 * backup removes its folder.
 */
class BackupWriter
{
    Q_DECLARE_TR_FUNCTIONS(BackupWriter)

public:
    /// `<project folder>/<project base name>.archive`
    static QString archiveFolder(const QString &projectPath);

    /**
     * Runs the backup on the calling (worker) thread and answers `promise` with the manifest or
     * the Error that stopped it. Progress: contacts done of the audience's total (at most ~10
     * updates a second). Cancelling the promise's future stops between pages; the future then
     * carries no result. Waits for the connector's futures: never call it on their thread.
     */
    static void run(QPromise<Result<BackupManifest>> &promise, SourceConnector &source,
                    const QString &audienceId, const QString &projectPath,
                    const BackupOptions &options = {});

    /// run() on the job pool. `source` must outlive the future.
    static QFuture<Result<BackupManifest>> start(SourceConnector &source, const QString &audienceId,
                                                 const QString &projectPath,
                                                 const BackupOptions &options = {});
};
