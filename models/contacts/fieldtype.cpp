#include "contacts/fieldtype.h"

#include <QCoreApplication>

#include <array>

namespace FieldTypes {

namespace {
constexpr std::array kAll = {FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Birthday,
                             FieldType::Phone, FieldType::Url, FieldType::Address, FieldType::Tags};
}

QString key(FieldType type)
{
    switch (type) {
    case FieldType::Text: return QStringLiteral("text");
    case FieldType::Number: return QStringLiteral("number");
    case FieldType::Date: return QStringLiteral("date");
    case FieldType::Birthday: return QStringLiteral("birthday");
    case FieldType::Phone: return QStringLiteral("phone");
    case FieldType::Url: return QStringLiteral("url");
    case FieldType::Address: return QStringLiteral("address");
    case FieldType::Tags: return QStringLiteral("tags");
    }
    return {};
}

std::optional<FieldType> fromKey(QStringView k)
{
    for (const FieldType t : kAll) {
        if (key(t) == k)
            return t;
    }
    return std::nullopt;
}

QString displayName(FieldType type)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("FieldType", s); };
    switch (type) {
    case FieldType::Text: return tr("Text");
    case FieldType::Number: return tr("Number");
    case FieldType::Date: return tr("Date");
    case FieldType::Birthday: return tr("Birthday");
    case FieldType::Phone: return tr("Phone");
    case FieldType::Url: return tr("URL");
    case FieldType::Address: return tr("Address");
    case FieldType::Tags: return tr("Tags");
    }
    return {};
}

} // namespace FieldTypes
