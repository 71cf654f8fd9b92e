#pragma once

#include <QByteArrayView>
#include <QString>

#include <array>
#include <optional>

/**
 * A contact's marketing-email status, in the source platform's terms (Mailchimp's vocabulary,
 * which the other platforms' states map onto; esp-apis.md section 4.1).
 */
enum class ContactStatus {
    Subscribed,
    Unsubscribed,
    Cleaned,       ///< hard bounce, or repeated soft bounces
    Complained,    ///< marked as spam
    Pending,       ///< double opt-in never confirmed
    Transactional, ///< known contact that never subscribed to marketing ("non-subscribed")
    Archived,
    Unknown,       ///< the export does not say; never treated as subscribed
};

inline constexpr std::array<ContactStatus, 8> kAllContactStatuses = {
    ContactStatus::Subscribed, ContactStatus::Unsubscribed, ContactStatus::Cleaned,
    ContactStatus::Complained, ContactStatus::Pending, ContactStatus::Transactional,
    ContactStatus::Archived, ContactStatus::Unknown,
};

namespace ContactStatuses {

/// Stable key used in JSON and in the project file: "subscribed", "unsubscribed", ...
QString key(ContactStatus status);
std::optional<ContactStatus> fromKey(QStringView key);

/// Translated name for display.
QString displayName(ContactStatus status);

/// True for the statuses that must be written as suppressions on the target.
bool isSuppression(ContactStatus status);

/// Reads a status word as the platforms and hand-made sheets write it ("subscribed",
/// "Unsubscribed", "hard bounce", "NEVER_SUBSCRIBED" ...); nullopt for anything else.
std::optional<ContactStatus> fromText(QByteArrayView text);

/// Reads a platform's suppression reason (Klaviyo's SPAM_COMPLAINT, HARD_BOUNCE, INVALID_EMAIL,
/// UNSUBSCRIBE, USER_SUPPRESSED, in any case; esp-apis 3.9): complained, cleaned or unsubscribed;
/// nullopt for anything else. A suppression outranks any consent word in the same row.
std::optional<ContactStatus> fromSuppressionReason(QByteArrayView reason);

} // namespace ContactStatuses
