#include "contacts/contactstatus.h"

#include <QCoreApplication>

namespace ContactStatuses {

QString key(ContactStatus status)
{
    switch (status) {
    case ContactStatus::Subscribed: return QStringLiteral("subscribed");
    case ContactStatus::Unsubscribed: return QStringLiteral("unsubscribed");
    case ContactStatus::Cleaned: return QStringLiteral("cleaned");
    case ContactStatus::Complained: return QStringLiteral("complained");
    case ContactStatus::Pending: return QStringLiteral("pending");
    case ContactStatus::Transactional: return QStringLiteral("transactional");
    case ContactStatus::Archived: return QStringLiteral("archived");
    case ContactStatus::Unknown: return QStringLiteral("unknown");
    }
    return {};
}

std::optional<ContactStatus> fromKey(QStringView k)
{
    for (const ContactStatus s : kAllContactStatuses) {
        if (key(s) == k)
            return s;
    }
    return std::nullopt;
}

QString displayName(ContactStatus status)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("ContactStatus", s); };
    switch (status) {
    case ContactStatus::Subscribed: return tr("Subscribed");
    case ContactStatus::Unsubscribed: return tr("Unsubscribed");
    case ContactStatus::Cleaned: return tr("Cleaned (bounced)");
    case ContactStatus::Complained: return tr("Complained (spam report)");
    case ContactStatus::Pending: return tr("Pending (unconfirmed)");
    case ContactStatus::Transactional: return tr("Non-subscribed (transactional)");
    case ContactStatus::Archived: return tr("Archived");
    case ContactStatus::Unknown: return tr("Unknown");
    }
    return {};
}

bool isSuppression(ContactStatus status)
{
    return status == ContactStatus::Unsubscribed || status == ContactStatus::Cleaned
        || status == ContactStatus::Complained;
}

std::optional<ContactStatus> fromText(QByteArrayView text)
{
    // Compare on lower-case letters and digits only: "Hard bounce", "hard_bounce" and
    // "HARD-BOUNCE" are the same word.
    QByteArray k;
    k.reserve(text.size());
    for (const char c : text) {
        if (c >= 'A' && c <= 'Z')
            k.append(char(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            k.append(c);
    }
    struct Word { const char *word; ContactStatus status; };
    static constexpr Word kWords[] = {
        {"subscribed", ContactStatus::Subscribed},
        {"subscriber", ContactStatus::Subscribed},
        {"active", ContactStatus::Subscribed},
        {"optedin", ContactStatus::Subscribed},
        {"optin", ContactStatus::Subscribed},
        {"unsubscribed", ContactStatus::Unsubscribed},
        {"unsubscribe", ContactStatus::Unsubscribed},
        {"optedout", ContactStatus::Unsubscribed},
        {"optout", ContactStatus::Unsubscribed},
        {"blocklisted", ContactStatus::Unsubscribed},
        {"blacklisted", ContactStatus::Unsubscribed},
        {"usersuppressed", ContactStatus::Unsubscribed},
        {"cleaned", ContactStatus::Cleaned},
        {"bounced", ContactStatus::Cleaned},
        {"hardbounce", ContactStatus::Cleaned},
        {"invalidemail", ContactStatus::Cleaned},
        {"complained", ContactStatus::Complained},
        {"complaint", ContactStatus::Complained},
        {"spam", ContactStatus::Complained},
        {"spamcomplaint", ContactStatus::Complained},
        {"spamreport", ContactStatus::Complained},
        {"abuse", ContactStatus::Complained},
        {"pending", ContactStatus::Pending},
        {"unconfirmed", ContactStatus::Pending},
        {"transactional", ContactStatus::Transactional},
        {"nonsubscribed", ContactStatus::Transactional},
        {"neversubscribed", ContactStatus::Transactional},
        {"archived", ContactStatus::Archived},
    };
    for (const Word &w : kWords) {
        if (k == w.word)
            return w.status;
    }
    return std::nullopt;
}

std::optional<ContactStatus> fromSuppressionReason(QByteArrayView reason)
{
    const QByteArray r = reason.toByteArray().toUpper();
    if (r.contains("SPAM") || r.contains("COMPLAINT"))
        return ContactStatus::Complained;
    if (r.contains("BOUNCE") || r.contains("INVALID"))
        return ContactStatus::Cleaned;
    if (r.contains("UNSUBSCRIBE") || r.contains("SUPPRESSED"))
        return ContactStatus::Unsubscribed;
    return std::nullopt;
}

} // namespace ContactStatuses
