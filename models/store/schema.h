#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

/** One forward step of the project file's schema. */
struct SchemaMigration
{
    int toVersion;
    QStringList statements;
};

/**
 * The project file's schema: its versions and the forward migrations between them. The version
 * lives in SQLite's user_version and the file type in its application_id (both in the header).
 */
class Schema
{
    Q_DECLARE_TR_FUNCTIONS(Schema)

public:
    static constexpr quint32 kApplicationId = 0x53434348; // "SCCH"
    static int currentVersion();
    static const QList<SchemaMigration> &migrations();

    /// Applies every migration above the file's version, all in one transaction: either the file
    /// reaches the last version or it is left as it was.
    static Status migrate(QSqlDatabase &db, const QList<SchemaMigration> &steps = migrations());

    static int userVersion(QSqlDatabase &db);
};
