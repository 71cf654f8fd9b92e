#pragma once

#include "connectors/connector.h"
#include "connectors/fieldmapping.h"

#include <QCoreApplication>
#include <QFuture>
#include <QList>
#include <QString>

/** One list or field of the initial setup, and what the target said about it. */
struct SetupItem
{
    enum class Kind { List, Field };
    Kind kind = Kind::Field;
    QString name;
    FieldType type = FieldType::Text;
    bool exists = false;  ///< the target had it already
    bool created = false; ///< this run created it (never in a dry run)
    QString id;           ///< the target's id, when known
};

/** What the initial setup did, or (dry run) would do. */
struct SetupReport
{
    bool dryRun = false;
    QList<SetupItem> items; ///< the list first, then the fields in mapping order

    int createdCount() const;  ///< created (or, in a dry run, to be created)
    int existingCount() const;
    QString listId() const;    ///< the migration list's id on the target; empty in a dry run
    /// "2 fields created, 9 already there" (dry run: "would create ..."), translated.
    QString summary() const;
};

/**
 * The Initial setup stage: on the target, the migration's list and every field the mapping and
 * the consent evidence need, created idempotently (found by name first, so a second run creates
 * nothing). The dry run reads the target and says what would be created without writing.
 *
 * Asynchronous like the connectors: the futures are answered on the network thread.
 */
class InitialSetup
{
    Q_DECLARE_TR_FUNCTIONS(InitialSetup)

public:
    /**
     * The fields the target needs: the custom and consent rows' target fields (an address split
     * into its parts as text), then the evidence fields ConsentMapping writes, each name once
     * (names compared without case). Built-in fields, tags and unmapped rows need none.
     */
    static QList<FieldSpec> requiredFields(const QList<FieldMappingRow> &mapping, TargetPlatform target);

    /// Ensures the list `listName` and the fields on the target.
    static QFuture<Result<SetupReport>> run(TargetConnector &target, const QString &listName,
                                            const QList<FieldSpec> &fields);

    /**
     * Reads the target (through its source side: audiences and field definitions) and reports
     * which of the list and fields exist and which a run would create. Writes nothing.
     */
    static QFuture<Result<SetupReport>> dryRun(SourceConnector &target, const QString &listName,
                                               const QList<FieldSpec> &fields);
};
