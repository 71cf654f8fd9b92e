#include "connectors/connectorfactory.h"

#include "connectors/mailchimp/mailchimpconnector.h"
#include "connectors/klaviyo/klaviyoconnector.h"

// Each platform's connector adds its case as it lands (models/connectors/<platform>/).

std::unique_ptr<SourceConnector> ConnectorFactory::source(const ConnectionSettings &settings,
                                                          HttpClient &client)
{
    switch (settings.platform) {
    case TargetPlatform::Mailchimp:
        return std::make_unique<MailchimpConnector>(settings, client);
    case TargetPlatform::Brevo:
        return nullptr;
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
        return nullptr;
    case TargetPlatform::Klaviyo:
        return std::make_unique<KlaviyoConnector>(settings, client);
    }
    return nullptr;
}
