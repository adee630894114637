/** Building, packing and installing the `@weaver/sdk` npm package (tests, `weaver init`, CI). */
export { buildSdkPackage, packSdk, sdkManifest, BUNDLED_LIBS, SDK_DIR } from './build-sdk-package';
export { checkoutVersionOf, installOffline } from './offline-install';
