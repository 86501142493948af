package guidance

import "github.com/connectedapplab/connectedapplab/flows"

// Platform changes with dates (reference §9).
var (
	noteUnPwSummer23 = PlatformNote{When: "Summer '23",
		Change:  "The username-password flow is blocked by default in orgs created from Summer '23 on (Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows).",
		Applies: "username-password flow"}
	noteUnPwWinter27 = PlatformNote{When: "Winter '27",
		Change:  "Salesforce stops supporting the OAuth 2.0 username-password flow for Connected Apps (one integrator cites February 20, 2027 for enforcement; the exact date is not confirmed).",
		Applies: "username-password flow, Connected Apps"}
	noteUnPwECA = PlatformNote{When: "always",
		Change:  "External Client Apps, which replace Connected Apps, do not support the username-password flow at all.",
		Applies: "username-password flow, External Client Apps"}
	noteSOAPLogin = PlatformNote{When: "Winter '26 / Summer '27",
		Change:  "SOAP login() is unavailable from API 65.0 (Winter '26) and fully retired in Summer '27: it is no way around the username-password retirement.",
		Applies: "username-password flow"}
	noteDeviceUninstalled = PlatformNote{When: "August 28, 2025",
		Change:  "The device flow is blocked for uninstalled connected apps, including the default Salesforce CLI app; sf org login device was deprecated.",
		Applies: "device flow"}
	noteUninstalled = PlatformNote{When: "September 2025",
		Change:  "Uninstalled connected apps are blocked for users who had not authorized them before (error invalid_client \"app must be installed into org\"); the new permission \"Approve Uninstalled Connected Apps\" is on for System Administrators only.",
		Applies: "Connected Apps used by end users"}
	noteUseAnyAPIClient = PlatformNote{When: "December 8, 2025",
		Change:  "The \"Use Any API Client\" permission no longer lets users self-authorize uninstalled apps.",
		Applies: "Connected Apps"}
	noteNewCAWinter26 = PlatformNote{When: "Winter '26",
		Change:  "The New Connected App button is removed by default in new orgs.",
		Applies: "Connected Apps"}
	noteNewCASpring26 = PlatformNote{When: "Spring '26",
		Change:  "Creating new Connected Apps is restricted in all orgs (Salesforce Support must enable it); existing apps keep working. Create External Client Apps instead.",
		Applies: "Connected Apps"}
	noteECAPKCE = PlatformNote{When: "always",
		Change:  "External Client Apps require PKCE by default and admit no user until an admin permits them.",
		Applies: "External Client Apps"}
)

// platformNotes picks the notes that apply to a flow and app kind, oldest first.
func platformNotes(flow flows.Flow, s Settings) []PlatformNote {
	var out []PlatformNote
	ca := s.AppKind != AppExternalClient
	eca := s.AppKind != AppConnected
	if flow == flows.UsernamePassword {
		out = append(out, noteUnPwSummer23)
	}
	if flow == flows.Device {
		out = append(out, noteDeviceUninstalled)
	}
	if ca && flow != flows.ClientCredentials && flow != flows.UsernamePassword {
		out = append(out, noteUninstalled, noteUseAnyAPIClient)
	}
	if flow == flows.UsernamePassword {
		out = append(out, noteSOAPLogin)
	}
	if ca {
		out = append(out, noteNewCAWinter26, noteNewCASpring26)
	}
	if flow == flows.UsernamePassword {
		out = append(out, noteUnPwWinter27, noteUnPwECA)
	}
	if eca && (flow == flows.WebServer || flow == flows.WebServerPKCE || flow == flows.UserAgent) {
		out = append(out, noteECAPKCE)
	}
	return out
}
