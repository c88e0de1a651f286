#!/usr/bin/env bash
# Deploys the integration sync engine to one environment, in the order docs/deploy.md explains:
#   1. offline validation of infra/ (no Azure call)        4. az deployment group create
#   2. resource group (created when missing)               5. build + publish the code (func CLI or zip deploy)
#   3. az deployment group what-if, then a confirmation    6. health check and the URLs providers need
#
# Usage: infra/deploy.sh <dev|staging|prod> <resource-group> [options]
#   --location <region>   region for a new resource group (default: $AZURE_LOCATION or westeurope)
#   --yes                 apply after what-if without asking (CI)
#   --what-if-only        stop after what-if
#   --infra-only          deploy the infrastructure, do not publish code
#   --zip                 publish with `az functionapp deployment source config-zip` instead of `func`
# Environment: ADMIN_API_KEY  admin API key to store in Key Vault (otherwise the current one is kept,
#                             or a new one is generated on the first deployment and printed once).
set -euo pipefail

die() { echo "deploy: $*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

[[ $# -ge 2 ]] || die "usage: infra/deploy.sh <dev|staging|prod> <resource-group> [--location <region>] [--yes] [--what-if-only] [--infra-only] [--zip]"
ENVIRONMENT=$1
RESOURCE_GROUP=$2
shift 2
LOCATION=${AZURE_LOCATION:-westeurope}
ASSUME_YES=false
WHAT_IF_ONLY=false
INFRA_ONLY=false
USE_ZIP=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --location) LOCATION=${2:?--location needs a region}; shift 2 ;;
    --yes) ASSUME_YES=true; shift ;;
    --what-if-only) WHAT_IF_ONLY=true; shift ;;
    --infra-only) INFRA_ONLY=true; shift ;;
    --zip) USE_ZIP=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done

case $ENVIRONMENT in dev | staging | prod) ;; *) die "environment must be dev, staging or prod, not '$ENVIRONMENT'" ;; esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE="$ROOT/infra/main.bicep"
PARAMS="$ROOT/infra/params/$ENVIRONMENT.parameters.json"
DEPLOYMENT_NAME="sync-engine-$ENVIRONMENT"
[[ -f $PARAMS ]] || die "missing $PARAMS"

for tool in az node npm; do command -v "$tool" >/dev/null || die "'$tool' is not installed"; done
if [[ $INFRA_ONLY == false && $USE_ZIP == false ]]; then
  command -v func >/dev/null || die "'func' (Azure Functions Core Tools 4.x) is not installed; install it or use --zip"
fi
if [[ $USE_ZIP == true ]]; then command -v zip >/dev/null || die "'zip' is not installed"; fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step "1/6 offline validation of infra/ (Bicep compiler and linter, then the consistency rules)"
[[ -d $ROOT/node_modules/tsx ]] || (cd "$ROOT" && npm ci)
# The same check as npm test; the first run restores the pinned Bicep compiler from NuGet (needs the .NET SDK).
(cd "$ROOT" && npm run --silent validate:infra) || die "infra validation failed; fix what the compiler or the rules named above report first"

step "2/6 Azure login and resource group"
az account show --query '{subscription:name, id:id, user:user.name}' -o table || die "run 'az login' (and 'az account set -s <subscription>') first"
if [[ $(az group exists -n "$RESOURCE_GROUP") != true ]]; then
  echo "creating resource group $RESOURCE_GROUP in $LOCATION"
  az group create -n "$RESOURCE_GROUP" -l "$LOCATION" -o none
fi

# Deleting the resource group only soft-deletes its Key Vault: purge protection keeps it, and its name, for 90
# days. The vault name derives from the subscription, this group and the environment, so a redeploy into a group
# of the same name asks for exactly that name and would fail. Recover the vault into the group instead (it keeps
# its secrets; the template re-creates the role assignments that went with the group). Picked by the vault's
# former resource id and the tags main.bicep sets, so another application's deleted vault is never touched.
SUBSCRIPTION_ID=$(az account show --query id -o tsv)
DELETED_VAULT=$(az keyvault list-deleted --resource-type vault -o json |
  VAULT_PARENT="/subscriptions/$SUBSCRIPTION_ID/resourceGroups/$RESOURCE_GROUP/" VAULT_ENV=$ENVIRONMENT node -e '
    const vaults = JSON.parse(require("fs").readFileSync(0, "utf8") || "[]");
    const parent = process.env.VAULT_PARENT.toLowerCase();
    const ours = vaults.find(({ properties: p = {} }) => String(p.vaultId ?? "").toLowerCase().startsWith(parent) &&
      p.tags?.app === "integration-sync-engine" && p.tags?.environment === process.env.VAULT_ENV);
    if (ours) process.stdout.write(`${ours.name} ${ours.properties.location}`);') || die "cannot list soft-deleted Key Vaults (az keyvault list-deleted)"
if [[ -n $DELETED_VAULT ]]; then
  read -r VAULT_NAME VAULT_LOCATION <<<"$DELETED_VAULT"
  GROUP_LOCATION=$(az group show -n "$RESOURCE_GROUP" --query location -o tsv)
  # A recovered vault stays in its region; the template puts everything in the group's region.
  [[ ${VAULT_LOCATION,,} == "${GROUP_LOCATION,,}" ]] ||
    die "Key Vault $VAULT_NAME of this deployment is soft-deleted in $VAULT_LOCATION, but $RESOURCE_GROUP is in $GROUP_LOCATION: delete the empty group and run again with --location $VAULT_LOCATION (docs/deploy.md, \"Redeploying after deleting the resource group\")"
  echo "recovering soft-deleted Key Vault $VAULT_NAME into $RESOURCE_GROUP (purge protection keeps it for 90 days after deletion)"
  az keyvault recover --name "$VAULT_NAME" --resource-group "$RESOURCE_GROUP" --location "$VAULT_LOCATION" -o none ||
    die "could not recover Key Vault $VAULT_NAME (see the az error above; recovering needs the rights that creating it needs)"
fi

# The admin key goes to Key Vault through a secure parameter, written to a private temp file so it never
# shows up in the process list or in the deployment history.
if [[ -z ${ADMIN_API_KEY:-} ]]; then
  VAULT=$(az deployment group show -g "$RESOURCE_GROUP" -n "$DEPLOYMENT_NAME" --query properties.outputs.keyVaultName.value -o tsv 2>/dev/null || true)
  if [[ -n $VAULT ]]; then
    ADMIN_API_KEY=$(az keyvault secret show --vault-name "$VAULT" -n admin-api-key --query value -o tsv 2>/dev/null) ||
      die "cannot read the current admin key from $VAULT (you need Key Vault Secrets User there); set ADMIN_API_KEY to keep or rotate it"
  else
    ADMIN_API_KEY=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))")
    GENERATED_KEY=true
  fi
fi
[[ ${#ADMIN_API_KEY} -ge 16 ]] || die "ADMIN_API_KEY must be at least 16 characters"
SECRETS="$WORK/secrets.parameters.json"
(umask 077 && ADMIN_API_KEY=$ADMIN_API_KEY node -e "process.stdout.write(JSON.stringify({parameters:{adminApiKey:{value:process.env.ADMIN_API_KEY}}}))" >"$SECRETS")
DEPLOY_ARGS=(-g "$RESOURCE_GROUP" -n "$DEPLOYMENT_NAME" --template-file "$TEMPLATE" --parameters "@$PARAMS" --parameters "@$SECRETS")

step "3/6 what-if"
az deployment group what-if "${DEPLOY_ARGS[@]}" --result-format FullResourcePayloads
[[ $WHAT_IF_ONLY == true ]] && { echo "stopping after what-if (--what-if-only)"; exit 0; }
if [[ $ASSUME_YES == false ]]; then
  read -r -p "Apply these changes to $RESOURCE_GROUP ($ENVIRONMENT)? [y/N] " answer
  [[ $answer == y || $answer == Y ]] || die "not applied"
fi

step "4/6 deployment"
az deployment group create "${DEPLOY_ARGS[@]}" -o none
output() { az deployment group show -g "$RESOURCE_GROUP" -n "$DEPLOYMENT_NAME" --query "properties.outputs.$1.value" -o tsv; }
APP=$(output functionAppName)
APP_URL=$(output functionAppUrl)
echo "Function App: $APP ($APP_URL)"
if [[ ${GENERATED_KEY:-false} == true ]]; then
  echo "A new admin API key was generated and stored in Key Vault secret 'admin-api-key' of $(output keyVaultName)."
  echo "Read it with: az keyvault secret show --vault-name $(output keyVaultName) -n admin-api-key --query value -o tsv"
fi
[[ $INFRA_ONLY == true ]] && { echo "infrastructure deployed; code not published (--infra-only)"; exit 0; }

step "5/6 build and publish"
[[ -f $ROOT/host.json ]] || die "host.json is missing at the repository root; the Functions host needs it"
(cd "$ROOT" && npm ci)
# Publish only what runs: compiled output, host.json and production dependencies, staged the one way the
# shipped-package test checks (infra/stage: no local host, no sandboxes, node_modules pruned).
STAGE="$WORK/app"
(cd "$ROOT" && npx --no-install tsx infra/stage/cli.ts "$STAGE") || die "staging the package failed; see the step named above"
if [[ $USE_ZIP == true ]]; then
  (cd "$STAGE" && zip -qr "$WORK/app.zip" .)
  az functionapp deployment source config-zip -g "$RESOURCE_GROUP" -n "$APP" --src "$WORK/app.zip" -o none
else
  # func reads the worker runtime from local.settings.json (never uploaded); the build already happened here.
  printf '{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"node"}}\n' >"$STAGE/local.settings.json"
  (cd "$STAGE" && func azure functionapp publish "$APP" --build local)
fi

step "6/6 health check"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if curl -fsS --max-time 10 "$APP_URL/api/health" >/dev/null; then
    echo "healthy: $APP_URL/api/health"
    break
  fi
  [[ $attempt == 10 ]] && die "$APP_URL/api/health did not answer 2xx; see Application Insights $(output appInsightsName)"
  sleep 15
done

cat <<DONE

Deployed $ENVIRONMENT to $RESOURCE_GROUP.
Register these with each provider (docs/deploy.md, "Register provider apps"):
  OAuth redirect URI : $(output oauthRedirectUri)
  Webhook URL        : $(output webhookUrlTemplate)
  Key Vault          : $(output keyVaultUri)
DONE
