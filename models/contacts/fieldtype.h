#pragma once

#include <QString>

#include <optional>

/** What kind of value a contact field holds, as far as a migration cares. */
enum class FieldType {
    Text,
    Number,
    Date,     ///< a date, or a date and time
    Birthday, ///< month and day, no year (Mailchimp's birthday field)
    Phone,
    Url,
    Address,  ///< a postal address in one field (Mailchimp's address field)
    Tags,     ///< a list of tags
};

namespace FieldTypes {
QString key(FieldType type);                 ///< "text", "number", "date", ...
std::optional<FieldType> fromKey(QStringView key);
QString displayName(FieldType type);         ///< translated
} // namespace FieldTypes
