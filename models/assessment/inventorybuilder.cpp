#include "assessment/inventorybuilder.h"

#include "contacts/emailaddress.h"
#include "csv/csvreader.h"
#include "exports/exportfiles.h"

#include <xxhash.h>

#include <algorithm>

namespace {

constexpr int kMaxStatusSamples = 5;

inline bool isBlank(QByteArrayView v)
{
    for (const char c : v) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

QByteArrayView trimmedView(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
        v.chop(1);
    return v;
}

// Days since the civil epoch, for a valid Gregorian date (Howard Hinnant's algorithm).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}

int digits(QByteArrayView v, qsizetype from, qsizetype count)
{
    if (from + count > v.size())
        return -1;
    int n = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    return n;
}

// "YYYY-MM-DD..." (Mailchimp, ISO 8601) or "DD-MM-YYYY..." (day first, as European exports write).
std::optional<qint64> parseDay(QByteArrayView v)
{
    int y = -1, m = -1, d = -1;
    if (v.size() >= 10 && v[4] == '-' && v[7] == '-') {
        y = digits(v, 0, 4), m = digits(v, 5, 2), d = digits(v, 8, 2);
    } else if (v.size() >= 10 && v[2] == '-' && v[5] == '-') {
        d = digits(v, 0, 2), m = digits(v, 3, 2), y = digits(v, 6, 4);
    }
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return std::nullopt;
    return daysFromCivil(y, m, d);
}

bool truthy(QByteArrayView v)
{
    const QByteArray l = v.toByteArray().toLower();
    return l == "true" || l == "1" || l == "yes" || l == "y" || l == "x" || l == "oui";
}

} // namespace

std::size_t InventoryBuilder::StringHash::operator()(std::string_view s) const
{
    return std::size_t(XXH3_64bits(s.data(), s.size()));
}

InventoryBuilder::InventoryBuilder() = default;

void InventoryBuilder::beginPart(const ExportPart &part, const ExportLayout &layout)
{
    m_layout = layout;
    m_partRows = 0;
    m_source = InventorySource();
    m_source.path = part.filePath;
    m_source.part = part.displayName();
    m_source.dialect = layout.dialect;
    m_source.statusSource = layout.statusSource;
    m_partNames.append(part.displayName());
    if (m_inv.sources.isEmpty() || m_inv.dialect == ExportDialect::Generic)
        m_inv.dialect = layout.dialect;

    m_columnField.assign(size_t(layout.columns.size()), -1);
    QSet<QString> seen;
    for (int c = 0; c < layout.columns.size(); ++c) {
        const ExportColumn &col = layout.columns[c];
        if (c == layout.emailColumn)
            continue;
        // Name blank or repeated columns so that each keeps its own counts.
        QString name = col.name.isEmpty() ? tr("(column %1)").arg(c + 1) : col.name;
        for (int n = 2; seen.contains(name); ++n)
            name = tr("%1 (%2)").arg(col.name).arg(n);
        seen.insert(name);
        auto it = m_fieldByName.find(name);
        if (it == m_fieldByName.end()) {
            FieldAcc acc{name, col.knownType, FieldTypeInference(name), 0,
                         col.role == ColumnRole::CustomField};
            m_fields.push_back(std::move(acc));
            it = m_fieldByName.insert(name, int(m_fields.size()) - 1);
        }
        m_columnField[size_t(c)] = it.value();
    }
    m_statusCol = layout.columnWithRole(ColumnRole::Status);
    m_blockCol = layout.columnWithRole(ColumnRole::Blocklisted);
    m_suppressionCol = layout.columnWithRole(ColumnRole::SuppressionReason);
    m_tagsCol = layout.columnWithRole(ColumnRole::Tags);
    m_optinTimeCol = layout.columnWithRole(ColumnRole::OptinTime);
    m_consentTimeCol = layout.columnWithRole(ColumnRole::ConsentTime);
    m_optinIpCol = layout.columnWithRole(ColumnRole::OptinIp);
    m_confirmTimeCol = layout.columnWithRole(ColumnRole::ConfirmTime);
    m_confirmIpCol = layout.columnWithRole(ColumnRole::ConfirmIp);
    m_ratingCol = layout.columnWithRole(ColumnRole::MemberRating);
    m_lastChangedCol = layout.columnWithRole(ColumnRole::LastChanged);
    m_inv.consent.available = m_inv.consent.available || m_optinTimeCol >= 0 || m_confirmTimeCol >= 0
        || m_consentTimeCol >= 0;
    m_inv.engagement.ratingAvailable = m_inv.engagement.ratingAvailable || m_ratingCol >= 0;
    m_inv.engagement.lastChangedAvailable = m_inv.engagement.lastChangedAvailable || m_lastChangedCol >= 0;
}

// `word` is what the status column says, already read (nullopt when blank or not understood).
ContactStatus InventoryBuilder::rowStatus(std::span<const QByteArrayView> fields, std::optional<ContactStatus> word)
{
    if (m_layout.fileStatus)
        return *m_layout.fileStatus;

    // A suppression outranks any consent word: the platform will not mail that person.
    if (m_suppressionCol >= 0) {
        if (const auto s = ContactStatuses::fromSuppressionReason(fields[size_t(m_suppressionCol)]))
            return *s;
    }
    if (m_blockCol >= 0 && truthy(trimmedView(fields[size_t(m_blockCol)])))
        return ContactStatus::Unsubscribed;
    if (m_statusCol >= 0) {
        if (word)
            return *word;
        const QByteArrayView text = trimmedView(fields[size_t(m_statusCol)]);
        if (!text.isEmpty() && m_unrecognised.size() < kMaxStatusSamples)
            m_unrecognised.insert(QString::fromUtf8(text.first(qMin<qsizetype>(text.size(), 40))));
        return ContactStatus::Unknown;
    }
    if (m_blockCol >= 0)
        return ContactStatus::Subscribed; // Brevo: in the export and not blocklisted
    return ContactStatus::Unknown;
}

void InventoryBuilder::countTags(QByteArrayView value)
{
    // Mailchimp writes tags as a comma-separated list, each tag in double quotes: "VIP","Spring 2024".
    std::string tag;
    bool quoted = false;
    const auto flush = [&] {
        const QByteArrayView t = trimmedView(QByteArrayView(tag.data(), qsizetype(tag.size())));
        if (!t.isEmpty()) {
            const std::string_view key(t.data(), size_t(t.size()));
            auto it = m_tags.find(key);
            if (it == m_tags.end())
                m_tags.emplace(std::string(key), 1);
            else
                ++it->second;
        }
        tag.clear();
    };
    for (const char c : value) {
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted)
            flush();
        else
            tag.push_back(c);
    }
    flush();
}

void InventoryBuilder::countLastChanged(QByteArrayView value)
{
    if (const auto day = parseDay(value))
        ++m_daysChanged[*day];
}

void InventoryBuilder::addRecord(qint64 line, std::span<const QByteArrayView> fields)
{
    ++m_partRows;
    ++m_inv.total;

    // The address: valid? seen before (ignoring case and surrounding space)?
    const QByteArrayView raw = fields[size_t(m_layout.emailColumn)];
    const QByteArrayView address = EmailAddress::trimmed(raw);
    if (!EmailAddress::isValid(address)) {
        ++m_inv.invalidEmails;
        m_inv.findings.append(Finding{Finding::InvalidEmail, QString::fromUtf8(raw), m_source.part, line,
                                      EmailAddress::problem(address)});
    }
    if (!address.isEmpty()) {
        const std::string key = EmailAddress::normalized(address);
        const quint64 hash = XXH3_64bits(key.data(), key.size());
        const quint64 here = (quint64(m_partNames.size() - 1) << 40) | quint64(line);
        if (const auto first = m_index.insert(hash, here)) {
            ++m_inv.duplicates;
            const int part = int(*first >> 40);
            const qint64 firstLine = qint64(*first & ((quint64(1) << 40) - 1));
            m_inv.findings.append(Finding{Finding::Duplicate, QString::fromUtf8(raw), m_source.part, line,
                                          tr("first seen on line %1 of %2").arg(firstLine).arg(m_partNames.value(part))});
        }
    }

    const std::optional<ContactStatus> word = m_statusCol >= 0
        ? ContactStatuses::fromText(trimmedView(fields[size_t(m_statusCol)]))
        : std::nullopt;
    const ContactStatus status = rowStatus(fields, word);
    ++m_inv.byStatus[size_t(status)];

    for (size_t c = 0; c < fields.size(); ++c) {
        const int f = m_columnField[c];
        if (f < 0)
            continue;
        const QByteArrayView v = fields[c];
        if (v.isEmpty() || isBlank(v))
            continue;
        FieldAcc &acc = m_fields[size_t(f)];
        ++acc.filled;
        if (!acc.knownType)
            acc.inference.add(trimmedView(v));
    }

    if (m_tagsCol >= 0 && !fields[size_t(m_tagsCol)].isEmpty())
        countTags(fields[size_t(m_tagsCol)]);

    const auto has = [&](int col) { return col >= 0 && !isBlank(fields[size_t(col)]); };
    // A consent timestamp is when the consent word last changed: the opt-in time when that word is
    // "subscribed" (even if a suppression came later), the unsubscribe time otherwise.
    const bool consentIsOptin = has(m_consentTimeCol) && word == ContactStatus::Subscribed;
    const bool optinTime = has(m_optinTimeCol) || consentIsOptin, confirmTime = has(m_confirmTimeCol);
    m_inv.consent.optinTime += optinTime;
    m_inv.consent.optinIp += has(m_optinIpCol);
    m_inv.consent.confirmTime += confirmTime;
    m_inv.consent.confirmIp += has(m_confirmIpCol);
    m_inv.consent.withEvidence += (optinTime || confirmTime);
    if (status == ContactStatus::Subscribed) {
        ++m_inv.consent.subscribed;
        m_inv.consent.subscribedWithEvidence += (optinTime || confirmTime);
    }

    if (m_ratingCol >= 0) {
        const QByteArrayView r = trimmedView(fields[size_t(m_ratingCol)]);
        const int stars = (r.size() == 1 && r[0] >= '1' && r[0] <= '5') ? r[0] - '0' : 0;
        if (stars)
            ++m_inv.engagement.rating[size_t(stars)];
    }
    if (m_lastChangedCol >= 0)
        countLastChanged(trimmedView(fields[size_t(m_lastChangedCol)]));
}

void InventoryBuilder::endPart(const CsvReader &reader)
{
    m_source.rows = m_partRows;
    m_source.bytes = reader.bytesRead();
    m_source.encoding = encodingName(reader.encoding());
    m_source.delimiter = reader.delimiter() == '\t' ? QStringLiteral("tab") : QString(QLatin1Char(reader.delimiter()));
    m_inv.sources.append(m_source);
}

void InventoryBuilder::endPart()
{
    m_source.rows = m_partRows;
    m_inv.sources.append(m_source);
}

Inventory InventoryBuilder::finish()
{
    for (const FieldAcc &acc : m_fields) {
        m_inv.fields.append(InventoryField{acc.name, acc.knownType.value_or(acc.inference.result()),
                                           acc.filled, acc.custom});
    }
    for (const auto &[name, count] : m_tags)
        m_inv.tags.append(InventoryTag{QString::fromUtf8(name.data(), qsizetype(name.size())), count});
    std::sort(m_inv.tags.begin(), m_inv.tags.end(), [](const InventoryTag &a, const InventoryTag &b) {
        return a.count != b.count ? a.count > b.count : a.name.localeAwareCompare(b.name) < 0;
    });

    if (!m_daysChanged.empty()) {
        qint64 newest = m_daysChanged.begin()->first;
        for (const auto &[day, rows] : m_daysChanged)
            newest = std::max(newest, day);
        // QDate's Julian day of 1970-01-01 is 2440588.
        m_inv.engagement.reference = QDate::fromJulianDay(newest + 2440588);
        for (const auto &[day, rows] : m_daysChanged) {
            const qint64 age = newest - day;
            const int bucket = age <= 30    ? Engagement::Within30Days
                             : age <= 90    ? Engagement::Days31To90
                             : age <= 180   ? Engagement::Days91To180
                             : age <= 365   ? Engagement::Days181To365
                                            : Engagement::Over1Year;
            m_inv.engagement.lastChanged[size_t(bucket)] += rows;
        }
    }
    // Rows without a rating or a readable change date (including rows of files that lack the
    // column) make up the rest, so that every distribution adds up to the total.
    Engagement &e = m_inv.engagement;
    if (e.ratingAvailable) {
        qint64 rated = 0;
        for (int i = 1; i <= 5; ++i)
            rated += e.rating[size_t(i)];
        e.rating[0] = m_inv.total - rated;
    }
    if (e.lastChangedAvailable) {
        qint64 dated = 0;
        for (int b = 0; b < Engagement::Unknown; ++b)
            dated += e.lastChanged[size_t(b)];
        e.lastChanged[Engagement::Unknown] = m_inv.total - dated;
    }
    m_inv.unrecognisedStatusValues = m_unrecognised.values();
    m_inv.unrecognisedStatusValues.sort();
    return std::move(m_inv);
}
