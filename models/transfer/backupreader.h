#pragma once

#include "core/result.h"
#include "transfer/backupformat.h"
#include "transfer/backupmanifest.h"

#include <QCoreApplication>
#include <QString>

/**
 * Reading a backup back: verification against its manifest, finding the newest good backup of a
 * project, and exporting a part as CSV (the way a backup is restored by hand).
 */
class BackupReader
{
    Q_DECLARE_TR_FUNCTIONS(BackupReader)

public:
    /**
     * Re-reads every file the manifest lists and recomputes its SHA-256, bytes and records
     * (every line of a .jsonl file must be one JSON object), and checks the contacts per status
     * against the manifest. Streams; memory holds one line. An Error names the file (and the line
     * of a bad JSON line) and what differs. A folder without a manifest never verifies.
     */
    static Result<BackupManifest> verify(const QString &folder);

    /// The newest backup in the project's archive that verifies; an Error when there is none.
    static Result<BackupManifest> latestVerified(const QString &projectPath);

    /**
     * Writes one part of a backup as CSV to `csvPath`: RFC 4180, UTF-8 with a byte order mark, a
     * header row, cells that start with = + - @ prefixed with an apostrophe (CSV injection).
     * Contacts have one column per field key. Streamed and written through QSaveFile: the file
     * appears only when complete, and only when the part still matches its manifest entry.
     * Returns the rows written (the header not counted).
     */
    static Result<qint64> exportCsv(const QString &folder, BackupPart part, const QString &csvPath);
};
