#include "connectors/connectorfactory.h"

#include "connectors/brevo/brevoconnector.h"
#include "connectors/klaviyo/klaviyoconnector.h"
#include "connectors/mailchimp/mailchimpconnector.h"

// Every connector is both: Mailchimp is also where people migrate to, Brevo and Klaviyo can be
// read as sources.

std::unique_ptr<SourceConnector> ConnectorFactory::source(const ConnectionSettings &settings,
                                                          HttpClient &client)
{
    switch (settings.platform) {
    case TargetPlatform::Mailchimp:
        return std::make_unique<MailchimpConnector>(settings, client);
    case TargetPlatform::Brevo:
        return std::make_unique<BrevoConnector>(settings, client);
    case TargetPlatform::Klaviyo:
        return std::make_unique<KlaviyoConnector>(settings, client);
    }
    return nullptr;
}

std::unique_ptr<TargetConnector> ConnectorFactory::target(const ConnectionSettings &settings,
                                                          HttpClient &client)
{
    switch (settings.platform) {
    case TargetPlatform::Mailchimp:
        return std::make_unique<MailchimpConnector>(settings, client);
    case TargetPlatform::Brevo:
        return std::make_unique<BrevoConnector>(settings, client);
    case TargetPlatform::Klaviyo:
        return std::make_unique<KlaviyoConnector>(settings, client);
    }
    return nullptr;
}
