#include "transfer/backuplineparser.h"

#include "transfer/backupformat.h"

#include <simdjson.h>

#include <cmath>
#include <climits>
#include <string_view>

using namespace Qt::StringLiterals;

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

/// QJsonValue::toString(): the text of a string, empty for anything else.
QString textOf(element v)
{
    std::string_view s;
    return v.get_string().get(s) == simdjson::SUCCESS ? text(s) : QString();
}

int twoDigits(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/// QDateTime::fromString(s, Qt::ISODateWithMs) for a string value (invalid for anything else).
/// The form the backup writes, "2024-01-02T03:04:05.678Z", is read by hand; any other form, and
/// a date or time that is not valid as written, goes to Qt (which, for one, reads 24:00 as the
/// next midnight).
QDateTime timeOf(element v)
{
    std::string_view s;
    if (v.get_string().get(s) != simdjson::SUCCESS)
        return {};
    const char *p = s.data();
    const auto digits = [p](std::initializer_list<int> at) {
        for (int i : at) {
            if (p[i] < '0' || p[i] > '9')
                return false;
        }
        return true;
    };
    if (s.size() == 24 && p[4] == '-' && p[7] == '-' && p[10] == 'T' && p[13] == ':' && p[16] == ':'
        && p[19] == '.' && p[23] == 'Z'
        && digits({0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22})) {
        const QDate date(twoDigits(p) * 100 + twoDigits(p + 2), twoDigits(p + 5), twoDigits(p + 8));
        const QTime time(twoDigits(p + 11), twoDigits(p + 14), twoDigits(p + 17),
                         twoDigits(p + 20) * 10 + (p[22] - '0'));
        if (date.isValid() && time.isValid())
            return QDateTime(date, time, Qt::UTC);
    }
    return QDateTime::fromString(text(s), Qt::ISODateWithMs);
}

/// QJsonValue::isDouble() (any JSON number).
bool isNumber(element v)
{
    const element_type t = v.type();
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

/// QJsonValue::toDouble() of a number.
double doubleOf(element v)
{
    switch (v.type()) {
    case element_type::INT64:
        return double(int64_t(v));
    case element_type::UINT64:
        return double(uint64_t(v));
    case element_type::DOUBLE:
        return double(v);
    default:
        return 0;
    }
}

/// QJsonValue::toInt() of a number: the value when it is integral and fits an int, else 0.
int intOf(element v)
{
    switch (v.type()) {
    case element_type::INT64: {
        const int64_t n = int64_t(v);
        return n >= INT_MIN && n <= INT_MAX ? int(n) : 0;
    }
    case element_type::DOUBLE: {
        const double d = double(v);
        double whole = 0;
        return std::modf(d, &whole) == 0.0 && d >= INT_MIN && d <= INT_MAX ? int(d) : 0;
    }
    default:
        return 0;
    }
}

} // namespace

struct BackupLineParser::Impl
{
    simdjson::dom::parser parser;
};

BackupLineParser::BackupLineParser()
    : d(std::make_unique<Impl>())
{
}

BackupLineParser::~BackupLineParser() = default;

std::optional<QByteArrayView> BackupLineParser::statusKey(QByteArrayView line)
{
    simdjson::dom::object o;
    if (d->parser.parse(line.data(), size_t(line.size())).get_object().get(o) != simdjson::SUCCESS)
        return std::nullopt;
    QByteArrayView status;
    for (const auto field : o) {
        if (field.key == "status") {
            std::string_view s;
            status = field.value.get_string().get(s) == simdjson::SUCCESS
                ? QByteArrayView(s.data(), qsizetype(s.size()))
                : QByteArrayView();
        }
    }
    return status;
}

std::optional<Result<SourceContact>> BackupLineParser::contact(QByteArrayView line, Parts parts)
{
    const bool fieldsAndTags = parts == Parts::All;
    simdjson::dom::object o;
    if (d->parser.parse(line.data(), size_t(line.size())).get_object().get(o) != simdjson::SUCCESS)
        return std::nullopt;
    // Each key is read where it stands, so the last of two equal keys wins, as in a QJsonObject.
    SourceContact c;
    QString status;
    for (const auto field : o) {
        const std::string_view key = field.key;
        const element v = field.value;
        if (key == "email") {
            c.email = textOf(v);
        } else if (key == "status") {
            status = textOf(v);
        } else if (key == "id") {
            c.id = textOf(v);
        } else if (key == "platformStatus") {
            c.platformStatus = textOf(v);
        } else if (key == "fields" && fieldsAndTags) {
            c.fields.clear();
            simdjson::dom::object fields;
            if (v.get_object().get(fields) == simdjson::SUCCESS) {
                for (const auto f : fields)
                    c.fields.insert(text(f.key), textOf(f.value));
            }
        } else if (key == "tags" && fieldsAndTags) {
            c.tags.clear();
            simdjson::dom::array tags;
            if (v.get_array().get(tags) == simdjson::SUCCESS) {
                for (const element t : tags)
                    c.tags.append(textOf(t));
            }
        } else if (key == "consent") {
            c.consent = ConsentEvidence();
            simdjson::dom::object e;
            if (v.get_object().get(e) == simdjson::SUCCESS) {
                for (const auto f : e) {
                    if (f.key == "optinTime")
                        c.consent.optinTime = timeOf(f.value);
                    else if (f.key == "optinIp")
                        c.consent.optinIp = textOf(f.value);
                    else if (f.key == "confirmTime")
                        c.consent.confirmTime = timeOf(f.value);
                    else if (f.key == "confirmIp")
                        c.consent.confirmIp = textOf(f.value);
                    else if (f.key == "suppressionTime")
                        c.consent.suppressionTime = timeOf(f.value);
                    else if (f.key == "suppressionReason")
                        c.consent.suppressionReason = textOf(f.value);
                }
            }
        } else if (key == "language") {
            c.language = textOf(v);
        } else if (key == "location") {
            c.location = ContactLocation();
            simdjson::dom::object l;
            if (v.get_object().get(l) == simdjson::SUCCESS) {
                for (const auto f : l) {
                    if (f.key == "countryCode")
                        c.location.countryCode = textOf(f.value);
                    else if (f.key == "region")
                        c.location.region = textOf(f.value);
                    else if (f.key == "timezone")
                        c.location.timezone = textOf(f.value);
                    else if (f.key == "latitude")
                        c.location.latitude = isNumber(f.value) ? std::optional(doubleOf(f.value)) : std::nullopt;
                    else if (f.key == "longitude")
                        c.location.longitude = isNumber(f.value) ? std::optional(doubleOf(f.value)) : std::nullopt;
                }
            }
        } else if (key == "rating") {
            c.rating = isNumber(v) ? intOf(v) : -1;
        } else if (key == "lastChanged") {
            c.lastChanged = timeOf(v);
        }
    }
    if (c.email.isEmpty())
        return Result<SourceContact>(BackupFormat::noEmailError());
    const auto known = ContactStatuses::fromKey(status);
    if (!known)
        return Result<SourceContact>(BackupFormat::unknownStatusError(status));
    c.status = *known;
    return Result<SourceContact>(std::move(c));
}
