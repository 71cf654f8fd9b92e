#pragma once

#include "connectors/connector.h"
#include "connectors/fieldmapping.h"
#include "contacts/valuecoercion.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>

/**
 * Turns a source contact into what a target connector writes (issue 5): its consent by
 * ConsentMapping, its fields by the project's field mapping with every value coerced to the
 * target field's type (ValueCoercion), its tags and language. A value that cannot be coerced
 * makes the contact an Error naming the contact, the field and the value, so that it goes into
 * the error report instead of being written wrong; the user fixes the mapping and retries it.
 */
class ContactTranslator
{
    Q_DECLARE_TR_FUNCTIONS(ContactTranslator)

public:
    /// `sourceFields`: the source's definitions, to find a mapping row's field by its label or key.
    ContactTranslator(TargetPlatform target, QList<FieldMappingRow> mapping,
                      const QList<FieldDefinition> &sourceFields);

    Result<TargetContact> translate(const SourceContact &contact) const;

    /// How values are coerced for a target field from a source field (null: not known).
    static CoercionOptions optionsFor(TargetPlatform target, const FieldDefinition *source);

private:
    /// What translate() needs of a mapping row, worked out once.
    struct Row
    {
        QString key;             ///< the source field's key (the row's source when unknown)
        CoercionOptions options; ///< optionsFor() the row's source field
    };

    TargetPlatform m_target;
    QList<FieldMappingRow> m_mapping;
    QList<Row> m_rows; ///< per row of m_mapping
};
