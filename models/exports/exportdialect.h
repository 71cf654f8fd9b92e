#pragma once

#include "contacts/contactstatus.h"
#include "contacts/fieldtype.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/** Which platform wrote an export file. */
enum class ExportDialect { Mailchimp, Brevo, Klaviyo, Generic };

namespace ExportDialects {
QString key(ExportDialect dialect);          ///< "mailchimp", "brevo", "klaviyo", "generic"
std::optional<ExportDialect> fromKey(QStringView key);
QString displayName(ExportDialect dialect);  ///< "Mailchimp", ..., "Generic CSV"
} // namespace ExportDialects

/** What a column of an export means to Stagecoach. */
enum class ColumnRole {
    Email,
    CustomField,       ///< a field the user defined (merge field, attribute, property)
    SystemField,       ///< platform metadata (ratings, ids, locations, timestamps ...)
    Tags,
    Status,            ///< subscription status or consent word
    Blocklisted,       ///< a yes/no "blocklisted" flag (Brevo)
    SuppressionReason, ///< why a contact is suppressed (Klaviyo)
    OptinTime,
    OptinIp,
    ConsentTime,       ///< when the consent word last changed (Klaviyo): an opt-in time only for "subscribed"
    ConfirmTime,
    ConfirmIp,
    MemberRating,
    LastChanged,
};

struct ExportColumn
{
    QString name;
    ColumnRole role = ColumnRole::CustomField;
    std::optional<FieldType> knownType; ///< set for the platform's own columns; else inferred
};

/** How one export file is read: its platform, what each column means and where status comes from. */
struct ExportLayout
{
    ExportDialect dialect = ExportDialect::Generic;
    QList<ExportColumn> columns;
    int emailColumn = -1;
    /// The status of every row when the file says it (Mailchimp's per-status files).
    std::optional<ContactStatus> fileStatus;
    /// How the status was found, for the user ("file name", "column Status" ...); empty if unknown.
    QString statusSource;

    int columnWithRole(ColumnRole role) const;
};

/**
 * Recognises an export from its file name and header row (esp-apis.md sections 1.9, 2.9, 3.9):
 * Mailchimp's audience export (the subscribed / unsubscribed / cleaned files), a Brevo contact
 * export, a Klaviyo profile export, or any CSV with an email column (generic).
 */
class ExportDialectDetector
{
    Q_DECLARE_TR_FUNCTIONS(ExportDialectDetector)

public:
    /// Fails when the header has no email column (with the header in the message).
    static Result<ExportLayout> recognise(const QString &fileName, const QStringList &header);

private:
    static Result<ExportLayout> detect(const QString &fileName, const QStringList &header);
};
