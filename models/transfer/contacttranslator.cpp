#include "transfer/contacttranslator.h"

#include <QDate>
#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

/// The parts of an address, in the order FieldMapping names its split target fields.
const QStringList &addressParts()
{
    static const QStringList parts = {u"addr1"_s, u"addr2"_s, u"city"_s, u"state"_s, u"zip"_s, u"country"_s};
    return parts;
}

/// A coerced value as the connectors take it: numbers as numbers, dates as dates.
QVariant typed(const QString &value, FieldType type)
{
    switch (type) {
    case FieldType::Number:
        return value.toDouble();
    case FieldType::Date:
        if (value.contains(u'T'))
            return QDateTime::fromString(value, Qt::ISODateWithMs);
        return QDate::fromString(value, Qt::ISODate);
    case FieldType::Birthday:
        // A full date (a placeholder year, or a real one) is a date; "--MM-DD" stays text.
        if (const QDate d = QDate::fromString(value, Qt::ISODate); d.isValid())
            return d;
        return value;
    default:
        return value;
    }
}

} // namespace

ContactTranslator::ContactTranslator(TargetPlatform target, QList<FieldMappingRow> mapping,
                                     const QList<FieldDefinition> &sourceFields)
    : m_target(target), m_mapping(std::move(mapping))
{
    QHash<QString, FieldDefinition> sourceByName; // label and key -> definition
    for (const FieldDefinition &f : sourceFields) {
        sourceByName.insert(f.key, f);
        if (!f.label.isEmpty())
            sourceByName.insert(f.label, f);
    }
    m_rows.reserve(m_mapping.size());
    for (const FieldMappingRow &row : std::as_const(m_mapping)) {
        const auto def = sourceByName.constFind(row.source);
        const bool known = def != sourceByName.cend();
        m_rows.append(Row{known ? def->key : row.source,
                          optionsFor(m_target, known ? &*def : nullptr)});
    }
}

CoercionOptions ContactTranslator::optionsFor(TargetPlatform target, const FieldDefinition *source)
{
    CoercionOptions o;
    if (source) {
        if (const auto order = ValueCoercion::dateOrderFromFormat(source->format))
            o.dateOrder = *order;
    }
    switch (target) {
    case TargetPlatform::Mailchimp:
        o.maxTextBytes = ValueCoercion::kMailchimpTextBytes;
        break;
    case TargetPlatform::Brevo:
        // Brevo's date attributes hold full dates only (esp-apis 2.5).
        o.birthdayPolicy = CoercionOptions::BirthdayPolicy::PlaceholderYear;
        break;
    case TargetPlatform::Klaviyo:
        break;
    }
    return o;
}

Result<TargetContact> ContactTranslator::translate(const SourceContact &c) const
{
    TargetContact out;
    out.email = c.email.trimmed();
    out.write = ConsentMapping::map(c.status, c.consent, m_target);
    out.language = c.language;

    for (qsizetype r = 0; r < m_mapping.size(); ++r) {
        const FieldMappingRow &row = m_mapping.at(r);
        switch (row.kind) {
        case FieldMappingRow::Kind::Unmapped:
        case FieldMappingRow::Kind::Consent: // ConsentMapping writes the evidence
            continue;
        case FieldMappingRow::Kind::Tags:
            out.tags = c.tags;
            continue;
        case FieldMappingRow::Kind::Native:
        case FieldMappingRow::Kind::Custom:
            break;
        }
        if (row.targets.isEmpty())
            continue;
        const QString value = c.fields.value(m_rows.at(r).key);
        if (value.trimmed().isEmpty())
            continue; // nothing to write: the target keeps what it has
        const FieldType type = row.targets.size() > 1 ? FieldType::Address : row.targetType;
        const Result<Coerced> coerced = ValueCoercion::coerce(value, type, m_rows.at(r).options);
        if (!coerced) {
            Error e(tr("%1: %2").arg(row.source, coerced.error().message), c.email,
                    coerced.error().hint.isEmpty()
                        ? tr("Change the field's type or target on the Field mapping step, then retry the failed contacts.")
                        : coerced.error().hint);
            e.code = u"invalid_value"_s;
            return e;
        }
        if (row.targets.size() > 1) {
            // A split address: each part into its own target field, in order.
            for (qsizetype i = 0; i < row.targets.size() && i < addressParts().size(); ++i) {
                const QString part = coerced->parts.value(addressParts().at(i));
                if (!part.isEmpty())
                    out.fields.insert(row.targets.at(i), part);
            }
        } else {
            out.fields.insert(row.targets.first(), typed(coerced->value, row.targetType));
        }
    }
    return out;
}
