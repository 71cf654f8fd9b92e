#pragma once

#include "assessment/inventory.h"
#include "connectors/targetplatform.h"
#include "contacts/fieldtype.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

/** Where one source field goes on the target, and why. */
struct FieldMappingRow
{
    enum class Kind {
        Native,   ///< a field the target has built in (first_name, SMS, location.city ...)
        Custom,   ///< a custom attribute / merge field / property to create
        Consent,  ///< consent evidence, carried as ConsentMapping says
        Tags,     ///< tags: the target's tags, or lists where it has none
        Unmapped, ///< not written (platform metadata, or no place for it); kept in the backup
    };

    QString source;      ///< the source column or merge field
    FieldType sourceType = FieldType::Text;
    Kind kind = Kind::Unmapped;
    QStringList targets; ///< the target field(s); several when a value is split (an address)
    FieldType targetType = FieldType::Text; ///< what the value is coerced to (ValueCoercion)
    bool existsOnTarget = false;            ///< a target attribute of that name is already there
    QString note;        ///< why, translated: what is lost or changed on the way

    static QString kindName(Kind kind); ///< translated
};

/**
 * Suggests where each source field goes on a target: the source dialect's known fields first
 * (Mailchimp's labels and merge tags, Brevo's and Klaviyo's export columns), then names; custom
 * fields become custom attributes named the way the target wants them. The user reviews and
 * edits the suggestion; what has no place is listed with the reason (unmapped()).
 */
class FieldMapping
{
    Q_DECLARE_TR_FUNCTIONS(FieldMapping)

public:
    /// existingAttributes: the target's attribute names as read from it (Brevo GET /contacts/attributes,
    /// Mailchimp merge-field tags); matched without regard to case.
    static QList<FieldMappingRow> suggest(const QList<InventoryField> &fields, TargetPlatform target,
                                          const QStringList &existingAttributes = {});

    /// The name a custom field gets on the target: Brevo upper-case letters, digits and "_";
    /// Mailchimp a merge tag of at most 10 such characters; Klaviyo the label as it is, under "properties.".
    static QString customName(const QString &source, TargetPlatform target);

    static QList<FieldMappingRow> unmapped(const QList<FieldMappingRow> &rows);

    /// Makes `row` carry tags the way the target keeps them: Mailchimp's tags, a Brevo list per
    /// tag, Klaviyo's list-valued "tags" property.
    static void placeTags(FieldMappingRow &row, TargetPlatform target);
};
