#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <memory>

class QIODevice;

/** One CSV stream of an export: a plain file, or one entry of a zip archive. */
struct ExportPart
{
    QString filePath;    ///< the file on disk
    QString entryName;   ///< the entry inside a zip; empty for a plain file
    qint64 size = 0;     ///< uncompressed bytes

    bool inArchive() const { return !entryName.isEmpty(); }
    /// "audience.zip › subscribed_members_export_1.csv", or "members.csv".
    QString displayName() const;
    /// The name the dialect detector looks at: the entry's or the file's base name.
    QString fileName() const;
};

/** Finds and opens the CSV streams of an export file, streaming (nothing is unpacked to disk). */
class ExportFiles
{
    Q_DECLARE_TR_FUNCTIONS(ExportFiles)

public:
    /// A zip (recognised by its signature, whatever its name): its CSV entries, in name order.
    /// Anything else: the file itself.
    static Result<QList<ExportPart>> list(const QString &path);

    /// Opens a part for sequential reading.
    static Result<std::unique_ptr<QIODevice>> open(const ExportPart &part);
};
