#include "exports/exportdialect.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace ExportDialects {

QString key(ExportDialect dialect)
{
    switch (dialect) {
    case ExportDialect::Mailchimp: return QStringLiteral("mailchimp");
    case ExportDialect::Brevo: return QStringLiteral("brevo");
    case ExportDialect::Klaviyo: return QStringLiteral("klaviyo");
    case ExportDialect::Generic: return QStringLiteral("generic");
    }
    return {};
}

std::optional<ExportDialect> fromKey(QStringView k)
{
    for (const auto d : {ExportDialect::Mailchimp, ExportDialect::Brevo, ExportDialect::Klaviyo,
                         ExportDialect::Generic}) {
        if (key(d) == k)
            return d;
    }
    return std::nullopt;
}

QString displayName(ExportDialect dialect)
{
    switch (dialect) {
    case ExportDialect::Mailchimp: return QStringLiteral("Mailchimp");
    case ExportDialect::Brevo: return QStringLiteral("Brevo");
    case ExportDialect::Klaviyo: return QStringLiteral("Klaviyo");
    case ExportDialect::Generic: return QCoreApplication::translate("ExportDialect", "Generic CSV");
    }
    return {};
}

} // namespace ExportDialects

int ExportLayout::columnWithRole(ColumnRole role) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].role == role)
            return i;
    }
    return -1;
}

namespace {

// Lower-case letters and digits only, so "Email Address", "email_address" and "E-mail address"
// compare equal.
QString squash(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out.append(c.toLower());
    }
    return out;
}

struct Known
{
    const char16_t *name;
    ColumnRole role;
    std::optional<FieldType> type;
    bool marker = false; ///< its presence identifies the platform
};

// Mailchimp audience export columns after the merge fields (esp-apis.md 1.9).
constexpr Known kMailchimp[] = {
    {u"MEMBER_RATING", ColumnRole::MemberRating, FieldType::Number},
    {u"OPTIN_TIME", ColumnRole::OptinTime, FieldType::Date},
    {u"OPTIN_IP", ColumnRole::OptinIp, FieldType::Text},
    {u"CONFIRM_TIME", ColumnRole::ConfirmTime, FieldType::Date},
    {u"CONFIRM_IP", ColumnRole::ConfirmIp, FieldType::Text},
    {u"LATITUDE", ColumnRole::SystemField, FieldType::Number},
    {u"LONGITUDE", ColumnRole::SystemField, FieldType::Number},
    {u"GMTOFF", ColumnRole::SystemField, FieldType::Number},
    {u"DSTOFF", ColumnRole::SystemField, FieldType::Number},
    {u"TIMEZONE", ColumnRole::SystemField, FieldType::Text},
    {u"CC", ColumnRole::SystemField, FieldType::Text},
    {u"REGION", ColumnRole::SystemField, FieldType::Text},
    {u"LAST_CHANGED", ColumnRole::LastChanged, FieldType::Date},
    {u"LEID", ColumnRole::SystemField, FieldType::Number},
    {u"EUID", ColumnRole::SystemField, FieldType::Text},
    {u"NOTES", ColumnRole::SystemField, FieldType::Text},
    {u"TAGS", ColumnRole::Tags, FieldType::Tags},
    {u"UNSUB_TIME", ColumnRole::SystemField, FieldType::Date},
    {u"UNSUB_CAMPAIGN_TITLE", ColumnRole::SystemField, FieldType::Text},
    {u"UNSUB_CAMPAIGN_ID", ColumnRole::SystemField, FieldType::Text},
    {u"UNSUB_REASON", ColumnRole::SystemField, FieldType::Text},
    {u"UNSUB_REASON_OTHER", ColumnRole::SystemField, FieldType::Text},
    {u"CLEAN_TIME", ColumnRole::SystemField, FieldType::Date},
    {u"CLEAN_CAMPAIGN_TITLE", ColumnRole::SystemField, FieldType::Text},
    {u"CLEAN_CAMPAIGN_ID", ColumnRole::SystemField, FieldType::Text},
};

// Brevo: mandatory export attributes and metadata (requestContactExport), default attributes
// (help article 208729849) and the blocklist flag.
constexpr Known kBrevo[] = {
    {u"ADDED_TIME", ColumnRole::SystemField, FieldType::Date},
    {u"MODIFIED_TIME", ColumnRole::LastChanged, FieldType::Date},
    {u"_listIds", ColumnRole::SystemField, FieldType::Text},
    {u"EXT_ID", ColumnRole::SystemField, FieldType::Text},
    {u"EMAIL_BLACKLISTED", ColumnRole::Blocklisted, std::nullopt},
    {u"BLACKLISTED", ColumnRole::Blocklisted, std::nullopt},
    {u"EMAIL_BLOCKLISTED", ColumnRole::Blocklisted, std::nullopt},
    {u"BLOCKLISTED", ColumnRole::Blocklisted, std::nullopt},
    {u"EMAIL_MARKETING", ColumnRole::Status, std::nullopt},
    {u"EMAIL_MARKETING_STATUS", ColumnRole::Status, std::nullopt},
};
constexpr const char16_t *kBrevoAttributes[] = {u"FIRSTNAME", u"LASTNAME", u"SMS", u"WHATSAPP",
                                                u"LANDLINE_NUMBER", u"ADDED_TIME", u"MODIFIED_TIME",
                                                u"EXT_ID", u"_listIds"};

// Klaviyo profile export columns (property display names).
constexpr Known kKlaviyo[] = {
    {u"Klaviyo ID", ColumnRole::SystemField, FieldType::Text, true},
    {u"Profile ID", ColumnRole::SystemField, FieldType::Text},
    {u"Profile Created On", ColumnRole::SystemField, FieldType::Date, true},
    {u"Date Added", ColumnRole::SystemField, FieldType::Date},
    {u"Last Active", ColumnRole::LastChanged, FieldType::Date, true},
    {u"Updated", ColumnRole::LastChanged, FieldType::Date},
    {u"Email Marketing Consent", ColumnRole::Status, std::nullopt, true},
    {u"Email Marketing Consent Timestamp", ColumnRole::ConsentTime, FieldType::Date, true},
    {u"Email Suppressions", ColumnRole::SuppressionReason, std::nullopt, true},
    {u"Email Suppression Reason", ColumnRole::SuppressionReason, std::nullopt, true},
    {u"Suppression Reason", ColumnRole::SuppressionReason, std::nullopt, true},
    {u"IP Address", ColumnRole::SystemField, FieldType::Text},
    {u"Source", ColumnRole::SystemField, FieldType::Text},
};

// Column names a generic sheet uses (compared squashed).
constexpr const char16_t *kEmailNames[] = {u"emailaddress", u"email", u"emails", u"mail", u"emailid",
                                           u"courriel", u"correo", u"correoelectronico", u"adresseemail"};
constexpr const char16_t *kStatusNames[] = {u"status", u"subscriptionstatus", u"emailstatus",
                                            u"memberstatus", u"subscription", u"emailmarketingconsent",
                                            u"consent", u"emailconsent", u"state"};
constexpr const char16_t *kTagNames[] = {u"tags", u"tag", u"labels"};

const Known *findKnown(const Known *begin, const Known *end, const QString &name, Qt::CaseSensitivity cs)
{
    for (const Known *k = begin; k != end; ++k) {
        if (QString::compare(QString::fromUtf16(k->name), name, cs) == 0)
            return k;
    }
    return nullptr;
}

template<size_t N>
bool squashedIn(const QString &name, const char16_t *const (&names)[N])
{
    const QString s = squash(name);
    for (const char16_t *n : names) {
        if (s == QStringView(n))
            return true;
    }
    return false;
}

int indexOf(const QStringList &header, const QString &name, Qt::CaseSensitivity cs)
{
    for (int i = 0; i < header.size(); ++i) {
        if (QString::compare(header[i].trimmed(), name, cs) == 0)
            return i;
    }
    return -1;
}

std::optional<ContactStatus> mailchimpStatusFromFileName(const QString &fileName)
{
    static const QRegularExpression re(
        QStringLiteral("^(subscribed|unsubscribed|cleaned|pending|non_?subscribed|transactional|archived)_"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(QFileInfo(fileName).fileName());
    if (!m.hasMatch())
        return std::nullopt;
    const QString word = m.captured(1).toLower().remove(u'_');
    if (word == u"nonsubscribed")
        return ContactStatus::Transactional;
    return ContactStatuses::fromText(word.toUtf8());
}

ExportLayout layoutFor(ExportDialect dialect, const QStringList &header, const Known *begin,
                       const Known *end, Qt::CaseSensitivity cs)
{
    ExportLayout layout;
    layout.dialect = dialect;
    for (const QString &raw : header) {
        const QString name = raw.trimmed();
        ExportColumn col{name, ColumnRole::CustomField, std::nullopt};
        if (const Known *k = begin ? findKnown(begin, end, name, cs) : nullptr) {
            col.role = k->role;
            col.knownType = k->type;
        }
        layout.columns.append(col);
    }
    return layout;
}

} // namespace

Result<ExportLayout> ExportDialectDetector::recognise(const QString &fileName, const QStringList &header)
{
    Result<ExportLayout> result = detect(fileName, header);
    if (!result.ok() || result->fileStatus)
        return result;
    ExportLayout &layout = result.value();
    QStringList sources;
    for (const ExportColumn &c : std::as_const(layout.columns)) {
        if (c.role == ColumnRole::Status || c.role == ColumnRole::Blocklisted
            || c.role == ColumnRole::SuppressionReason)
            sources.append(tr("column \"%1\"").arg(c.name));
    }
    layout.statusSource = sources.join(tr(" and "));
    return result;
}

Result<ExportLayout> ExportDialectDetector::detect(const QString &fileName, const QStringList &header)
{
    const auto begin = [](const auto &arr) { return std::begin(arr); };
    const auto end = [](const auto &arr) { return std::end(arr); };

    // Mailchimp: "Email Address" plus its metadata columns, or its export file name.
    const int mcEmail = indexOf(header, QStringLiteral("Email Address"), Qt::CaseInsensitive);
    int mcMarkers = 0;
    for (const QString &h : header)
        mcMarkers += findKnown(begin(kMailchimp), end(kMailchimp), h.trimmed(), Qt::CaseSensitive) ? 1 : 0;
    const auto mcFileStatus = mailchimpStatusFromFileName(fileName);
    if (mcEmail >= 0 && (mcMarkers >= 2 || mcFileStatus)) {
        ExportLayout layout = layoutFor(ExportDialect::Mailchimp, header, begin(kMailchimp),
                                        end(kMailchimp), Qt::CaseSensitive);
        layout.emailColumn = mcEmail;
        layout.columns[mcEmail].role = ColumnRole::Email;
        if (mcFileStatus) {
            layout.fileStatus = mcFileStatus;
            layout.statusSource = tr("file name");
        } else if (indexOf(header, QStringLiteral("UNSUB_TIME"), Qt::CaseSensitive) >= 0) {
            layout.fileStatus = ContactStatus::Unsubscribed;
            layout.statusSource = tr("UNSUB_TIME column");
        } else if (indexOf(header, QStringLiteral("CLEAN_TIME"), Qt::CaseSensitive) >= 0) {
            layout.fileStatus = ContactStatus::Cleaned;
            layout.statusSource = tr("CLEAN_TIME column");
        }
        // Otherwise unknown: a renamed subscribed, pending or non-subscribed file look alike.
        return layout;
    }

    // Brevo: upper-case attribute names with EMAIL.
    const int brevoEmail = indexOf(header, QStringLiteral("EMAIL"), Qt::CaseSensitive);
    if (brevoEmail >= 0) {
        bool brevo = false;
        for (const char16_t *a : kBrevoAttributes)
            brevo = brevo || indexOf(header, QString::fromUtf16(a), Qt::CaseSensitive) >= 0;
        for (const Known &k : kBrevo)
            brevo = brevo || indexOf(header, QString::fromUtf16(k.name), Qt::CaseInsensitive) >= 0;
        if (brevo) {
            ExportLayout layout = layoutFor(ExportDialect::Brevo, header, begin(kBrevo), end(kBrevo),
                                            Qt::CaseInsensitive);
            layout.emailColumn = brevoEmail;
            layout.columns[brevoEmail].role = ColumnRole::Email;
            return layout;
        }
    }

    // Klaviyo: "Email" with its profile columns.
    const int kEmail = indexOf(header, QStringLiteral("Email"), Qt::CaseInsensitive);
    if (kEmail >= 0) {
        bool klaviyo = false;
        for (const Known &k : kKlaviyo)
            klaviyo = klaviyo || (k.marker && indexOf(header, QString::fromUtf16(k.name), Qt::CaseInsensitive) >= 0);
        if (klaviyo) {
            ExportLayout layout = layoutFor(ExportDialect::Klaviyo, header, begin(kKlaviyo),
                                            end(kKlaviyo), Qt::CaseInsensitive);
            layout.emailColumn = kEmail;
            layout.columns[kEmail].role = ColumnRole::Email;
            return layout;
        }
    }

    // Generic: any column that names an email address.
    ExportLayout layout = layoutFor(ExportDialect::Generic, header, nullptr, nullptr, Qt::CaseSensitive);
    for (int i = 0; i < header.size(); ++i) {
        const QString &h = header[i];
        if (layout.emailColumn < 0 && squashedIn(h, kEmailNames)) {
            layout.emailColumn = i;
            layout.columns[i].role = ColumnRole::Email;
        } else if (layout.columnWithRole(ColumnRole::Status) < 0 && squashedIn(h, kStatusNames)) {
            layout.columns[i].role = ColumnRole::Status;
        } else if (layout.columnWithRole(ColumnRole::Tags) < 0 && squashedIn(h, kTagNames)) {
            layout.columns[i].role = ColumnRole::Tags;
            layout.columns[i].knownType = FieldType::Tags;
        } else if (const Known *k = findKnown(begin(kMailchimp), end(kMailchimp), h.trimmed(), Qt::CaseInsensitive);
                   k && k->role != ColumnRole::SystemField && k->role != ColumnRole::Tags) {
            // Evidence and engagement columns keep their meaning in hand-made sheets too.
            layout.columns[i].role = k->role;
            layout.columns[i].knownType = k->type;
        }
    }
    if (layout.emailColumn < 0) {
        QStringList shown = header.mid(0, 8);
        for (QString &s : shown)
            s = s.left(40);
        return Error{tr("no email column in the header row (%1%2).")
                         .arg(shown.join(QStringLiteral(", ")), header.size() > 8 ? QStringLiteral(", ...") : QString()),
                     QString(),
                     tr("Stagecoach needs a column named \"Email Address\", \"Email\" or \"EMAIL\". "
                        "If this is a contact export, rename that column; otherwise choose the contact export.")};
    }
    return layout;
}
